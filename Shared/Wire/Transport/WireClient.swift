import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Keeps one connection to a Unix-socket server, reconnecting with backoff when the
/// server restarts. `onConnect` runs after every (re)connect, e.g. to register again.
public final class WireClient: Service, @unchecked Sendable {
    public let socketPath: String
    public let handlers: WireHandlers
    private let maxFrameSize: Int
    private let group: EventLoopGroup
    private let logger: Logger
    private let onConnect: @Sendable (WireConnection) async throws -> Void
    private let state = NIOLockedValueBox<(connection: WireConnection?, stopped: Bool)>((nil, false))
    let backoff: (initial: Duration, max: Duration)

    public init(
        socketPath: String, handlers: WireHandlers = WireHandlers(),
        maxFrameSize: Int = WireProtocol.defaultMaxFrameSize,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger,
        backoff: (initial: Duration, max: Duration) = (.milliseconds(100), .seconds(2)),
        onConnect: @escaping @Sendable (WireConnection) async throws -> Void = { _ in }
    ) {
        self.socketPath = socketPath
        self.handlers = handlers
        self.maxFrameSize = maxFrameSize
        self.group = group
        self.logger = logger
        self.backoff = backoff
        self.onConnect = onConnect
    }

    /// The live connection, if any.
    public var connection: WireConnection? {
        state.withLockedValue { $0.connection.flatMap { $0.isActive ? $0 : nil } }
    }

    /// Calls over the live connection, waiting for one up to the same timeout.
    public func call<Request: WireRequest>(
        _ request: Request, timeout: Duration = WireProtocol.defaultCallTimeout
    ) async throws -> Request.Reply {
        let deadline = ContinuousClock.now + timeout
        while connection == nil {
            guard ContinuousClock.now < deadline, !state.withLockedValue({ $0.stopped }) else {
                throw WireError.disconnected
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard let connection else { throw WireError.disconnected }
        return try await connection.call(request, timeout: deadline - ContinuousClock.now)
    }

    /// Best-effort event; dropped while disconnected.
    public func notify<Event: WireEvent>(_ event: Event) {
        connection?.notify(event)
    }

    public func run() async throws {
        try await withTaskCancellationOrGracefulShutdownHandler {
            await self.connectLoop()
        } onCancelOrGracefulShutdown: {
            self.stop()
        }
    }

    /// Stops reconnecting and closes the connection.
    public func stop() {
        let connection = state.withLockedValue { state in
            state.stopped = true
            return state.connection
        }
        connection?.close()
    }

    private func connectLoop() async {
        var delay = backoff.initial
        while !state.withLockedValue({ $0.stopped }) {
            if let channel = await connectOnce() {
                delay = backoff.initial
                try? await channel.closeFuture.get()
                state.withLockedValue { $0.connection = nil }
                guard !state.withLockedValue({ $0.stopped }) else { return }
                logger.warning("wire connection lost; reconnecting", metadata: ["socket": "\(socketPath)"])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, backoff.max)
        }
    }

    private func connectOnce() async -> Channel? {
        var created: WireConnection?
        let channel: Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(1))
                .channelInitializer { [self] channel in
                    let connection = WireConnection(channel: channel, handlers: handlers, logger: logger)
                    created = connection
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(WireFrameDecoder(maxFrameSize: maxFrameSize)))
                        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(WireFrameEncoder()))
                        try channel.pipeline.syncOperations.addHandler(WireChannelHandler(connection: connection))
                    }
                }
                .connect(unixDomainSocketPath: socketPath)
                .get()
        } catch {
            logger.debug("wire connect failed", metadata: ["socket": "\(socketPath)", "error": "\(error)"])
            return nil
        }
        guard let connection = created else { return nil }
        do {
            try await onConnect(connection)
        } catch {
            logger.warning("wire on-connect failed; retrying", metadata: ["error": "\(error)"])
            try? await channel.close()
            return nil
        }
        let stopped = state.withLockedValue { state -> Bool in
            if !state.stopped { state.connection = connection }
            return state.stopped
        }
        if stopped { try? await channel.close() }
        logger.info("wire connected", metadata: ["socket": "\(socketPath)"])
        return channel
    }
}
