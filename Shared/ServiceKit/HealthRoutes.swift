import Hummingbird
import Prometheus

/// `GET /healthz` (200 when ready, 503 otherwise) and `GET /metrics` (Prometheus text).
public struct HealthRoutes<Context: RequestContext>: Sendable {
    public let service: String
    public let registry: PrometheusCollectorRegistry
    /// Returns nil when ready, or why not.
    public let readiness: @Sendable () async -> String?

    public init(service: String, registry: PrometheusCollectorRegistry, readiness: @escaping @Sendable () async -> String? = { nil }) {
        self.service = service
        self.registry = registry
        self.readiness = readiness
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("healthz") { _, _ -> Response in
            let problem = await readiness()
            let body = problem.map { #"{"status":"unavailable","service":"\#(service)","reason":"\#($0)"}"# }
                ?? #"{"status":"ok","service":"\#(service)"}"#
            return Response(
                status: problem == nil ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
