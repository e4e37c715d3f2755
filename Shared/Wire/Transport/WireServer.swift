import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Listens on a Unix socket (mode 0600 in a 0700 directory). A stale socket file
/// left by a crashed process is removed; one served by a live process is an error.
public final class WireServer: Service, @unchecked Sendable {
    public let socketPath: String
    public let handlers: WireHandlers
    private let maxFrameSize: Int
    private let group: EventLoopGroup
    private let logger: Logger
    private let state = NIOLockedValueBox<(channel: Channel?, connections: Set<WireConnection>)>((nil, []))

    public init(
        socketPath: String, handlers: WireHandlers,
        maxFrameSize: Int = WireProtocol.defaultMaxFrameSize,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger
    ) {
        self.socketPath = socketPath
        self.handlers = handlers
        self.maxFrameSize = maxFrameSize
        self.group = group
        self.logger = logger
        handlers.onDisconnect { [state] connection in
            state.withLockedValue { _ = $0.connections.remove(connection) }
        }
    }

    public var connections: [WireConnection] {
        state.withLockedValue { Array($0.connections) }
    }

    /// Sends an event to every connected peer.
    public func broadcast<Event: WireEvent>(_ event: Event) {
        connections.forEach { $0.notify(event) }
    }

    public func start() async throws {
        try WireSocketFile.prepareDirectory(for: socketPath)
        try await WireSocketFile.removeIfStale(socketPath, group: group)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 64)
            .childChannelInitializer { [self] channel in
                let connection = WireConnection(channel: channel, handlers: handlers, logger: logger)
                state.withLockedValue { _ = $0.connections.insert(connection) }
                return channel.pipeline.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(WireFrameDecoder(maxFrameSize: maxFrameSize)))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(WireFrameEncoder()))
                    try channel.pipeline.syncOperations.addHandler(WireChannelHandler(connection: connection))
                }
            }
            .bind(unixDomainSocketPath: socketPath, cleanupExistingSocketFile: false)
            .get()
        chmod(socketPath, 0o600)
        state.withLockedValue { $0.channel = channel }
        logger.info("wire server listening", metadata: ["socket": "\(socketPath)"])
    }

    public func shutdown() async {
        let (channel, connections) = state.withLockedValue { state in
            defer { state.channel = nil }
            return (state.channel, state.connections)
        }
        try? await channel?.close()
        for connection in connections { connection.close() }
        unlink(socketPath)
    }

    /// Service: starts, serves until graceful shutdown, then closes and removes the socket.
    public func run() async throws {
        if state.withLockedValue({ $0.channel == nil }) { try await start() }
        try? await gracefulShutdown()
        await shutdown()
    }
}
