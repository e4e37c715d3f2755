/// mediad → signald (the connection that created the session): connectivity changed.
public struct MediaSessionStateChanged: WireEvent, Equatable {
    public static let name = "session.state"

    public enum State: String, Codable, Sendable {
        case connected, failed, closed
    }

    public var roomId: String
    public var participantId: String
    public var state: State
    /// For `failed`/`closed`: a stable code such as `ice_timeout`, `dtls_failed`, `fingerprint_mismatch`.
    public var code: String?
    public var message: String?

    public init(roomId: String, participantId: String, state: State, code: String? = nil, message: String? = nil) {
        self.roomId = roomId
        self.participantId = participantId
        self.state = state
        self.code = code
        self.message = message
    }
}
