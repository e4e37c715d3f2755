import CSRTP

/// libsrtp's status codes, used for `MediaError.srtpError` by our own RTP
/// cipher too, so counters and logs read the same whichever code ran.
enum SrtpFailure {
    static let badParameter = Int32(srtp_err_status_bad_param.rawValue)
    static let authenticationFailed = Int32(srtp_err_status_auth_fail.rawValue)
    static let replayed = Int32(srtp_err_status_replay_fail.rawValue)
    static let keyExpired = Int32(srtp_err_status_key_expired.rawValue)
    static let cipherUnavailable = Int32(srtp_err_status_cipher_fail.rawValue)
}
