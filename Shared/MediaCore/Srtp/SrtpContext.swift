import CSRTP

/// One libsrtp session for one direction of one DTLS-SRTP association.
///
/// Outbound contexts protect what we send, inbound contexts unprotect what
/// the peer sends (with libsrtp's replay window). The SSRC is not known in
/// advance, so the policy matches any SSRC in its direction.
public final class SrtpContext {
    public enum Direction: Sendable { case inbound, outbound }

    /// Largest packet accepted; far above any Opus-over-RTP packet.
    public static let maximumPacketLength = 2048
    static let minimumRtpLength = 12
    static let minimumRtcpLength = 8
    /// Room libsrtp may write after the packet: tag plus MKI (SRTP_MAX_TRAILER_LEN).
    static let trailerRoom = 16 + 128 + 4

    public let profile: SrtpProfile
    public let direction: Direction
    private let session: srtp_t

    public init(profile: SrtpProfile, key: [UInt8], salt: [UInt8], direction: Direction) throws {
        try SrtpLibrary.ensureInitialised()
        guard key.count == profile.keyLength, salt.count == profile.saltLength else {
            throw MediaError.srtpError(Int32(srtp_err_status_bad_param.rawValue))
        }
        var policy = srtp_policy_t()
        switch profile {
        case .aes128CmSha1_80:
            // The *_aes_cm_128_hmac_sha1_80 setters are macros for these defaults.
            srtp_crypto_policy_set_rtp_default(&policy.rtp)
            srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
        case .aeadAes128Gcm:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp)
        }
        policy.ssrc.type = direction == .inbound ? ssrc_any_inbound : ssrc_any_outbound
        policy.window_size = 128
        policy.allow_repeat_tx = 0
        var masterKey = key + salt
        var created: srtp_t?
        let status = masterKey.withUnsafeMutableBufferPointer { keyBytes -> srtp_err_status_t in
            policy.key = keyBytes.baseAddress
            return srtp_create(&created, &policy)  // copies the key
        }
        guard status == srtp_err_status_ok, let session = created else {
            throw MediaError.srtpError(Int32(status.rawValue))
        }
        self.profile = profile
        self.direction = direction
        self.session = session
    }

    deinit {
        srtp_dealloc(session)
    }

    public func protectRtp(_ packet: [UInt8]) throws -> [UInt8] {
        try transform(packet, minimum: Self.minimumRtpLength, srtp_protect)
    }

    public func unprotectRtp(_ packet: [UInt8]) throws -> [UInt8] {
        try transform(packet, minimum: Self.minimumRtpLength, srtp_unprotect)
    }

    public func protectRtcp(_ packet: [UInt8]) throws -> [UInt8] {
        try transform(packet, minimum: Self.minimumRtcpLength, srtp_protect_rtcp)
    }

    public func unprotectRtcp(_ packet: [UInt8]) throws -> [UInt8] {
        try transform(packet, minimum: Self.minimumRtcpLength, srtp_unprotect_rtcp)
    }

    /// Runs a libsrtp in-place call on a copy with trailer room after it.
    private func transform(
        _ packet: [UInt8], minimum: Int,
        _ call: (srtp_t?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int32>?) -> srtp_err_status_t
    ) throws -> [UInt8] {
        guard packet.count >= minimum, packet.count <= Self.maximumPacketLength else {
            throw MediaError.srtpError(Int32(srtp_err_status_bad_param.rawValue))
        }
        var buffer = packet + [UInt8](repeating: 0, count: Self.trailerRoom)
        var length = Int32(packet.count)
        let status = buffer.withUnsafeMutableBytes { call(session, $0.baseAddress, &length) }
        guard status == srtp_err_status_ok, length >= 0, Int(length) <= buffer.count else {
            throw MediaError.srtpError(Int32(status.rawValue))
        }
        return Array(buffer.prefix(Int(length)))
    }
}
