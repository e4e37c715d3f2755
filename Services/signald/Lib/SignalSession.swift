import Foundation
import NIOConcurrencyHelpers
import Wire

/// One WebSocket client. Messages to it go through an ordered outbox that the
/// connection's writer task drains, so fan-out from anywhere keeps per-client order.
public final class SignalSession: @unchecked Sendable, Hashable {
    public enum Outgoing: Sendable, Equatable {
        /// `encoded` is the message's JSON when the sender already has it: a room event
        /// is encoded once for everyone it goes to (in a town hall of N, every join is
        /// announced to N others), not once per recipient.
        case message(ServerMessage, encoded: String? = nil)
        /// Close the socket with this WebSocket close code after what is queued.
        case close(code: UInt16)

        /// Two messages are equal when they say the same; the encoding is a cache.
        public static func == (lhs: Outgoing, rhs: Outgoing) -> Bool {
            switch (lhs, rhs) {
            case (.message(let left, _), .message(let right, _)): return left == right
            case (.close(let left), .close(let right)): return left == right
            default: return false
            }
        }
    }

    public let id = UUID()
    public let outbox: AsyncStream<Outgoing>
    private let continuation: AsyncStream<Outgoing>.Continuation

    private struct Membership {
        var roomId: String?
        var participantId: String?
        var mediaServerId: String?
        var hasMediaSession = false
        var joinReceived = false
        var closed = false
    }
    private let membership = NIOLockedValueBox(Membership())

    public init() {
        (outbox, continuation) = AsyncStream<Outgoing>.makeStream()
    }

    public func send(_ message: ServerMessage, encoded: String? = nil) {
        continuation.yield(.message(message, encoded: encoded))
    }

    /// Queues a close; later sends are dropped.
    public func close(code: UInt16 = 1000) {
        let first = membership.withLockedValue { state -> Bool in
            defer { state.closed = true }
            return !state.closed
        }
        guard first else { return }
        continuation.yield(.close(code: code))
        continuation.finish()
    }

    public var isClosed: Bool { membership.withLockedValue { $0.closed } }
    public var roomId: String? { membership.withLockedValue { $0.roomId } }
    public var participantId: String? { membership.withLockedValue { $0.participantId } }
    public var mediaServerId: String? { membership.withLockedValue { $0.mediaServerId } }
    public var isJoined: Bool { participantId != nil }
    /// The client sent `join` (its admission may still be in flight with roomd).
    public var joinReceived: Bool { membership.withLockedValue { $0.joinReceived } }
    func markJoinReceived() { membership.withLockedValue { $0.joinReceived = true } }
    public var hasMediaSession: Bool {
        get { membership.withLockedValue { $0.hasMediaSession } }
        set { membership.withLockedValue { $0.hasMediaSession = newValue } }
    }

    func admitted(_ admission: Admission) {
        membership.withLockedValue {
            $0.roomId = admission.roomId
            $0.participantId = admission.participant.id
            $0.mediaServerId = admission.mediaServerId
        }
    }

    public static func == (lhs: SignalSession, rhs: SignalSession) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
