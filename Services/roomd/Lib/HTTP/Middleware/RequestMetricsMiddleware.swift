import Hummingbird
import Metrics

/// Counts requests and times them by method, route pattern and status.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let route = context.endpointPath ?? "NotFound"
            let dimensions = [("method", request.method.rawValue), ("route", route), ("status", String(status))]
            Counter(label: "roomd_http_requests_total", dimensions: dimensions).increment()
            let elapsed = ContinuousClock.now - start
            Metrics.Timer(label: "roomd_http_request_duration_seconds", dimensions: [("method", request.method.rawValue), ("route", route)])
                .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        }
        let response = try await next(request, context)
        status = response.status.code
        return response
    }
}
