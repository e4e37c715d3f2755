import Wire

/// mediad's own failures, with the stable codes signald passes on to clients.
public enum MediaServerError: Error, Equatable, WireCodedError {
    case noFreePort(String)
    case invalidOffer(String)
    case noUsableAudio
    case atCapacity
    case unknownSession

    public var wireCode: String {
        switch self {
        case .noFreePort: "no_free_port"
        case .invalidOffer: "invalid_sdp"
        case .noUsableAudio: "no_usable_audio"
        case .atCapacity: "at_capacity"
        case .unknownSession: "unknown_session"
        }
    }

    public var wireMessage: String {
        switch self {
        case .noFreePort(let range): "no free port in \(range)"
        case .invalidOffer(let why): "the offer is not valid SDP: \(why)"
        case .noUsableAudio: "the offer has no Opus audio m-line"
        case .atCapacity: "this media server is full"
        case .unknownSession: "no media session for this participant"
        }
    }
}
