import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// One live Unix-socket connection. Either end may `call` (request → reply) or
/// `notify` (event). Replies resolve at once; events are handled in arrival order;
/// requests run concurrently so a slow handler cannot stall the connection.
public final class WireConnection: @unchecked Sendable, Hashable {
    public let id = UUID()
    let channel: Channel
    let handlers: WireHandlers
    let logger: Logger

    private struct State {
        var nextCallId: UInt64 = 1
        var pending: [UInt64: CheckedContinuation<Data, Error>] = [:]
        var closed = false
        var label: String?
    }
    private let state = NIOLockedValueBox(State())
    private let inboundEvents: AsyncStream<(String, Data)>.Continuation

    init(channel: Channel, handlers: WireHandlers, logger: Logger) {
        self.channel = channel
        self.handlers = handlers
        self.logger = logger
        let (stream, continuation) = AsyncStream<(String, Data)>.makeStream()
        self.inboundEvents = continuation
        Task { [handlers] in
            for await (name, data) in stream {
                guard let handler = handlers.eventHandler(for: name) else {
                    logger.debug("wire event without handler", metadata: ["event": "\(name)"])
                    continue
                }
                do { try await handler(data, self) } catch {
                    logger.warning("wire event dropped", metadata: ["event": "\(name)", "error": "\(error)"])
                }
            }
        }
    }

    /// A name the owner gives the peer (e.g. the mediad id it registered as).
    public var label: String? {
        get { state.withLockedValue { $0.label } }
        set { state.withLockedValue { $0.label = newValue } }
    }

    public var isActive: Bool { !state.withLockedValue { $0.closed } }

    /// Sends a request and waits for its reply; fails with `.timeout` or `.disconnected`
    /// instead of hanging, and with `.remote` when the peer answers an error.
    public func call<Request: WireRequest>(
        _ request: Request, timeout: Duration = WireProtocol.defaultCallTimeout
    ) async throws -> Request.Reply {
        let callId: UInt64? = state.withLockedValue { state in
            guard !state.closed else { return nil }
            defer { state.nextCallId += 1 }
            return state.nextCallId
        }
        guard let callId else { throw WireError.disconnected }
        let frame = try WireCoding.encode(WireOutgoing(kind: .request, id: callId, method: Request.method, body: request))
        let replyData: Data = try await withCheckedThrowingContinuation { continuation in
            let registered = state.withLockedValue { state -> Bool in
                guard !state.closed else { return false }
                state.pending[callId] = continuation
                return true
            }
            guard registered else {
                continuation.resume(throwing: WireError.disconnected)
                return
            }
            channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) { [weak self] in
                self?.resolve(callId, with: .failure(WireError.timeout(method: Request.method)))
            }
            write(frame)
        }
        let header = try WireCoding.header(of: replyData)
        if let error = header.error {
            throw WireError.remote(code: error.code, message: error.message)
        }
        return try WireCoding.body(Request.Reply.self, of: replyData)
    }

    /// Sends an event; silently dropped if the connection is gone (events are best-effort).
    public func notify<Event: WireEvent>(_ event: Event) {
        guard isActive else { return }
        do {
            write(try WireCoding.encode(WireOutgoing(kind: .event, id: nil, method: Event.name, body: event)))
        } catch {
            logger.error("cannot encode wire event", metadata: ["event": "\(Event.name)"])
        }
    }

    public func close() {
        channel.close(promise: nil)
    }

    // MARK: - Inbound, called from the channel handler

    func received(_ data: Data) {
        let header: WireHeader
        do { header = try WireCoding.header(of: data) } catch {
            logger.warning("malformed wire frame; closing")
            close()
            return
        }
        guard header.v == WireProtocol.version else {
            let mismatch = WireError.versionMismatch(got: header.v, expected: WireProtocol.version)
            logger.error("wire version mismatch; closing", metadata: ["got": "\(header.v)"])
            if header.kind == .request, let id = header.id { replyError(id: id, method: header.method, mismatch) }
            channel.eventLoop.execute { self.close() }
            return
        }
        switch header.kind {
        case .reply:
            if let id = header.id { resolve(id, with: .success(data)) }
        case .event:
            inboundEvents.yield((header.method, data))
        case .request:
            guard let id = header.id else { return }
            handleRequest(id: id, method: header.method, data: data)
        }
    }

    func closedByChannel() {
        let pending = state.withLockedValue { state -> [CheckedContinuation<Data, Error>] in
            state.closed = true
            defer { state.pending = [:] }
            return Array(state.pending.values)
        }
        pending.forEach { $0.resume(throwing: WireError.disconnected) }
        inboundEvents.finish()
        Task { await handlers.disconnected(self) }
    }

    private func handleRequest(id: UInt64, method: String, data: Data) {
        guard let handler = handlers.requestHandler(for: method) else {
            replyError(id: id, method: method, WireError.unknownMethod(method))
            return
        }
        Task {
            do {
                write(try await handler(data, self, id))
            } catch let error as WireCodedError {
                replyError(id: id, method: method, error)
            } catch {
                logger.error("wire handler failed", metadata: ["method": "\(method)", "error": "\(error)"])
                replyError(id: id, method: method, WireError.remote(code: "internal_error", message: "internal error"))
            }
        }
    }

    private func replyError(id: UInt64, method: String, _ error: WireCodedError) {
        let body = WireErrorBody(code: error.wireCode, message: error.wireMessage)
        if let frame = try? WireCoding.encode(WireOutgoing<WireAck>(kind: .reply, id: id, method: method, error: body)) {
            write(frame)
        }
    }

    private func resolve(_ callId: UInt64, with result: Result<Data, Error>) {
        let continuation = state.withLockedValue { $0.pending.removeValue(forKey: callId) }
        continuation?.resume(with: result)
    }

    private func write(_ data: Data) {
        var buffer = channel.allocator.buffer(capacity: data.count)
        buffer.writeBytes(data)
        channel.writeAndFlush(buffer, promise: nil)
    }

    public static func == (lhs: WireConnection, rhs: WireConnection) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// Bridges NIO callbacks to the connection.
final class WireChannelHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    let connection: WireConnection

    init(connection: WireConnection) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if let bytes = buffer.readBytes(length: buffer.readableBytes) {
            connection.received(Data(bytes))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.closedByChannel()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        connection.logger.warning("wire connection error; closing", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
