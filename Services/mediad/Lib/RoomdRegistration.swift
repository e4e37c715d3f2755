import Foundation
import Logging
import ServiceLifecycle
import Wire

/// Keeps this mediad registered with roomd: registers on every (re)connect and sends
/// a heartbeat with the current load at the interval roomd asks for.
public final class RoomdRegistration: Service, @unchecked Sendable {
    public let client: WireClient
    private let logger: Logger
    private let load: @Sendable () async -> MediaServerLoad
    private let register: @Sendable () async -> RegisterMediaServer
    private let interval = IntervalBox()

    public init(socketDirectory: String, logger: Logger,
                register: @escaping @Sendable () async -> RegisterMediaServer,
                load: @escaping @Sendable () async -> MediaServerLoad) {
        self.logger = logger
        self.load = load
        self.register = register
        let interval = self.interval
        self.client = WireClient(socketPath: WireSocketPaths.roomd(in: socketDirectory), logger: logger) { connection in
            let request = await register()
            let reply = try await connection.call(request)
            interval.seconds = max(0.2, reply.heartbeatIntervalSeconds)
            connection.label = "roomd"
            logger.info("registered with roomd", metadata: ["id": "\(request.id)", "udp": "\(request.udpAddress)"])
        }
    }

    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.client.run() }
            group.addTask {
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    try? await Task.sleep(for: .milliseconds(Int(self.interval.seconds * 1000)))
                    let request = await self.register()
                    self.client.notify(MediaServerHeartbeat(id: request.id, load: await self.load()))
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}

private final class IntervalBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 1.0
    var seconds: Double {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
