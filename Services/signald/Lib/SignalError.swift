import Wire

/// Everything signald reports to a client as `{"type":"error","code",…}`.
public enum SignalError: Error, Equatable, Sendable {
    case invalidJSON
    case invalidMessage(String)
    case unknownType(String)
    case notJoined
    case alreadyJoined
    case joinTimeout
    case rateLimited
    case binaryNotSupported
    case noMediaSession
    case mediaUnavailable
    /// A code passed through from roomd or mediad (`invalid_token`, `room_full`, `no_usable_audio`, …).
    case upstream(code: String, message: String)

    public var code: String {
        switch self {
        case .invalidJSON: "invalid_json"
        case .invalidMessage: "invalid_message"
        case .unknownType: "unknown_type"
        case .notJoined: "not_joined"
        case .alreadyJoined: "already_joined"
        case .joinTimeout: "join_timeout"
        case .rateLimited: "rate_limited"
        case .binaryNotSupported: "binary_not_supported"
        case .noMediaSession: "no_media_session"
        case .mediaUnavailable: "media_unavailable"
        case .upstream(let code, _): code
        }
    }

    public var message: String {
        switch self {
        case .invalidJSON: "the message is not a JSON object"
        case .invalidMessage(let why): why
        case .unknownType(let type): "unknown message type \(type)"
        case .notJoined: "send join with a token first"
        case .alreadyJoined: "this session has already joined"
        case .joinTimeout: "no join within 10 seconds"
        case .rateLimited: "too many messages; slow down"
        case .binaryNotSupported: "binary frames are not supported; send JSON text"
        case .noMediaSession: "send an offer first"
        case .mediaUnavailable: "the room's media server is not reachable"
        case .upstream(_, let message): message
        }
    }

    /// Errors after which the session cannot go on.
    public var isFatal: Bool {
        switch self {
        case .joinTimeout: true
        case .upstream(let code, _): ["invalid_token", "token_expired", "room_not_found", "room_full", "no_media_server"].contains(code)
        default: false
        }
    }

    /// Maps a Wire failure from roomd or mediad to what the client sees.
    static func from(_ error: Error) -> SignalError {
        switch error {
        case let signal as SignalError: signal
        case WireError.remote(let code, let message): .upstream(code: code, message: message)
        case is WireError: .mediaUnavailable
        default: .upstream(code: "internal_error", message: "internal error")
        }
    }
}
