/// The one error type of MediaCore. Each case maps to a stable snake_case `code`
/// that services put into HTTP errors, WebSocket `error` messages and Wire replies.
/// A peer's bad bytes end up here, never in a crash.
public enum MediaError: Error, Equatable, Sendable {
    // Wire-level parsing (STUN, RTP, RTCP).
    case malformedPacket(String)
    case truncatedPacket
    case unsupportedVersion(Int)

    // STUN / ICE.
    case stunIntegrityFailed
    case stunFingerprintFailed
    case stunUsernameMismatch
    case stunTransactionMismatch

    // SDP.
    case sdpMalformed(String)
    case sdpMissingField(String)
    case sdpNoAudio
    case invalidAddress(String)

    // DTLS / SRTP / Opus (used by the codec half of the module).
    case dtlsHandshakeFailed(String)
    case fingerprintMismatch
    case srtpError(Int32)
    case opusError(Int32)
    case certificateError(String)

    /// Stable identifier for logs and protocol error replies.
    public var code: String {
        switch self {
        case .malformedPacket: return "malformed_packet"
        case .truncatedPacket: return "truncated_packet"
        case .unsupportedVersion: return "unsupported_version"
        case .stunIntegrityFailed: return "stun_integrity_failed"
        case .stunFingerprintFailed: return "stun_fingerprint_failed"
        case .stunUsernameMismatch: return "stun_username_mismatch"
        case .stunTransactionMismatch: return "stun_transaction_mismatch"
        case .sdpMalformed: return "sdp_malformed"
        case .sdpMissingField: return "sdp_missing_field"
        case .sdpNoAudio: return "no_usable_audio"
        case .invalidAddress: return "invalid_address"
        case .dtlsHandshakeFailed: return "dtls_handshake_failed"
        case .fingerprintMismatch: return "fingerprint_mismatch"
        case .srtpError: return "srtp_error"
        case .opusError: return "opus_error"
        case .certificateError: return "certificate_error"
        }
    }
}
