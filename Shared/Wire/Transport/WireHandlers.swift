import Foundation
import NIOConcurrencyHelpers

/// The requests and events one side of a connection answers. Both ends of a
/// connection may call and notify each other, so clients and servers share this.
public final class WireHandlers: @unchecked Sendable {
    /// Decodes the body, runs the handler and encodes the reply frame for the given id.
    typealias RequestHandler = @Sendable (Data, WireConnection, UInt64) async throws -> Data
    typealias EventHandler = @Sendable (Data, WireConnection) async throws -> Void

    private let lock = NIOLock()
    private var requests: [String: RequestHandler] = [:]
    private var events: [String: EventHandler] = [:]
    private var disconnectHandlers: [@Sendable (WireConnection) async -> Void] = []

    public init() {}

    /// Answers `Request`; throw a `WireCodedError` to reply with its code.
    public func on<Request: WireRequest>(
        _ type: Request.Type,
        _ handler: @escaping @Sendable (Request, WireConnection) async throws -> Request.Reply
    ) {
        lock.withLock {
            requests[Request.method] = { data, connection, id in
                let request = try WireCoding.body(Request.self, of: data)
                let reply = try await handler(request, connection)
                return try WireCoding.encode(WireOutgoing(kind: .reply, id: id, method: Request.method, body: reply))
            }
        }
    }

    public func on<Event: WireEvent>(
        _ type: Event.Type,
        _ handler: @escaping @Sendable (Event, WireConnection) async -> Void
    ) {
        lock.withLock {
            events[Event.name] = { data, connection in
                await handler(try WireCoding.body(Event.self, of: data), connection)
            }
        }
    }

    /// Called once when a connection closes, for whatever reason.
    public func onDisconnect(_ handler: @escaping @Sendable (WireConnection) async -> Void) {
        lock.withLock { disconnectHandlers.append(handler) }
    }

    func requestHandler(for method: String) -> RequestHandler? {
        lock.withLock { requests[method] }
    }

    func eventHandler(for name: String) -> EventHandler? {
        lock.withLock { events[name] }
    }

    func disconnected(_ connection: WireConnection) async {
        for handler in lock.withLock({ disconnectHandlers }) {
            await handler(connection)
        }
    }
}
