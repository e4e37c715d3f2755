import CSRTP

/// SRTP and SRTCP for one direction of one DTLS-SRTP association.
///
/// Outbound contexts protect what we send, inbound contexts unprotect what
/// the peer sends (with a 128-packet replay window). The SSRC is not known in
/// advance, so any SSRC in its direction is accepted.
///
/// Under AEAD_AES_128_GCM, RTP and RTCP go through `AesGcmRtpCipher` and
/// `AesGcmRtcpCipher` (OpenSSL) rather than libsrtp's NSS code, which is several
/// times slower per packet and slower still with many live contexts; such a
/// context creates no libsrtp session at all (`srtp_create` on NSS costs ~1 ms).
/// libsrtp does the AES-CM profile.
public final class SrtpContext {
    public enum Direction: Sendable { case inbound, outbound }
    /// Who transforms RTP and RTCP packets: `fastest` is OpenSSL for GCM, libsrtp
    /// otherwise; `libsrtp` is for tests and benchmarks that compare the two.
    public enum RtpEngine: Sendable { case fastest, libsrtp }

    /// Largest packet accepted; far above any Opus-over-RTP packet.
    public static let maximumPacketLength = 2048
    static let minimumRtpLength = 12
    static let minimumRtcpLength = 8
    /// Room libsrtp may write after the packet: tag plus MKI (SRTP_MAX_TRAILER_LEN).
    public static let trailerRoom = 16 + 128 + 4

    public let profile: SrtpProfile
    public let direction: Direction
    /// nil when OpenSSL does both RTP and RTCP.
    private let session: srtp_t?
    private let gcmRtp: AesGcmRtpCipher?
    private let gcmRtcp: AesGcmRtcpCipher?
    /// libsrtp works in place: every packet is transformed in this one buffer, so the
    /// steady state allocates nothing (a context is only used from one thread).
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: maximumPacketLength + trailerRoom, alignment: 16)

    public init(profile: SrtpProfile, key: [UInt8], salt: [UInt8], direction: Direction,
                rtpEngine: RtpEngine = .fastest) throws {
        try SrtpLibrary.ensureInitialised()
        guard key.count == profile.keyLength, salt.count == profile.saltLength else {
            throw MediaError.srtpError(SrtpFailure.badParameter)
        }
        self.profile = profile
        self.direction = direction
        if profile == .aeadAes128Gcm && rtpEngine == .fastest {
            let cipherDirection: AesGcmContext.Direction = direction == .outbound ? .encrypt : .decrypt
            gcmRtp = try AesGcmRtpCipher(masterKey: key, masterSalt: salt, direction: cipherDirection)
            gcmRtcp = try AesGcmRtcpCipher(masterKey: key, masterSalt: salt, direction: cipherDirection)
            session = nil
        } else {
            gcmRtp = nil
            gcmRtcp = nil
            session = try Self.createSession(profile: profile, key: key, salt: salt, direction: direction)
        }
    }

    private static func createSession(profile: SrtpProfile, key: [UInt8], salt: [UInt8], direction: Direction) throws -> srtp_t {
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
        return session
    }

    /// The memory protecting an RTP packet starts with, for a caller to prefetch.
    var hotMemory: [UnsafeRawPointer] {
        let own = UnsafeRawPointer(addressOf: self)
        if let gcmRtp { return [own] + gcmRtp.hotMemory }
        return [own] + (session.map { [UnsafeRawPointer($0)] } ?? [])
    }

    deinit {
        if let session { srtp_dealloc(session) }
        scratch.deallocate()
    }

    public func protectRtp(_ packet: [UInt8]) throws -> [UInt8] {
        try protectRtp(writing: { Self.copy(packet, into: $0) }) { Array($0) }
    }

    public func unprotectRtp(_ packet: [UInt8]) throws -> [UInt8] {
        try unprotectRtp(packet) { Array($0) }
    }

    public func protectRtcp(_ packet: [UInt8]) throws -> [UInt8] {
        try inScratch(writing: { Self.copy(packet, into: $0) }, minimum: Self.minimumRtcpLength, { buffer, length in
            if let gcmRtcp { return try gcmRtcp.protect(buffer, length: length) }
            return try libsrtp(srtp_protect_rtcp, buffer, length)
        }) { Array($0) }
    }

    public func unprotectRtcp(_ packet: [UInt8]) throws -> [UInt8] {
        try unprotectRtcp(packet) { Array($0) }
    }

    /// Decrypts an SRTCP packet; `body` sees the plain RTCP compound, valid only during the call.
    public func unprotectRtcp<R>(_ packet: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        try inScratch(writing: { Self.copy(packet, into: $0) }, minimum: Self.minimumRtcpLength, { buffer, length in
            if let gcmRtcp { return try gcmRtcp.unprotect(buffer, length: length) }
            return try libsrtp(srtp_unprotect_rtcp, buffer, length)
        }, body)
    }

    /// Decrypts an SRTP packet; `body` sees the plain RTP packet, valid only during the call.
    public func unprotectRtp<R>(_ packet: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        if let gcmRtp {
            return try inScratch(writing: { Self.copy(packet, into: $0) }, minimum: Self.minimumRtpLength,
                                 { try gcmRtp.unprotect($0, length: $1) }, body)
        }
        return try inScratch(writing: { Self.copy(packet, into: $0) }, minimum: Self.minimumRtpLength, { try libsrtp(srtp_unprotect, $0, $1) }, body)
    }

    /// `write` puts a plain RTP packet at the start of the buffer it is given (at most
    /// `maximumPacketLength` bytes) and returns its length; `body` sees the SRTP packet.
    public func protectRtp<R>(writing write: (UnsafeMutableRawBufferPointer) -> Int,
                              _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        try inScratch(writing: write, minimum: Self.minimumRtpLength, { try protectRtp($0, length: $1) }, body)
    }

    /// `write` puts a plain RTP packet at the start of `buffer`, which is protected
    /// there, in place: the SRTP packet goes straight into a send buffer with no copy.
    /// `buffer` needs `trailerRoom` bytes past the packet. Returns the SRTP length.
    public func protectRtp(in buffer: UnsafeMutableRawBufferPointer, writing write: (UnsafeMutableRawBufferPointer) -> Int) throws -> Int {
        try transform(in: buffer, writing: write, minimum: Self.minimumRtpLength, { try protectRtp($0, length: $1) })
    }

    /// Protects the RTP packet of `length` bytes at the start of `buffer` in place.
    private func protectRtp(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws -> Int {
        if let gcmRtp { return try gcmRtp.protect(buffer, length: length) }
        return try libsrtp(srtp_protect, buffer, length)
    }

    /// Copies `packet` to the front of `buffer`; -1 when it does not fit.
    public static func copy(_ packet: [UInt8], into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard packet.count <= buffer.count else { return -1 }
        packet.withUnsafeBytes { buffer.copyMemory(from: $0) }
        return packet.count
    }

    /// Runs a libsrtp in-place call on the packet of `written` bytes in `buffer`; returns the new length.
    private func libsrtp(_ call: (srtp_t?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int32>?) -> srtp_err_status_t,
                         _ buffer: UnsafeMutableRawBufferPointer, _ written: Int) throws -> Int {
        guard let session else { throw MediaError.srtpError(SrtpFailure.badParameter) }
        var length = Int32(written)
        let status = call(session, buffer.baseAddress, &length)
        guard status == srtp_err_status_ok, length >= 0 else { throw MediaError.srtpError(Int32(status.rawValue)) }
        return Int(length)
    }

    /// Transforms a packet in the scratch buffer and shows `body` the result.
    private func inScratch<R>(
        writing write: (UnsafeMutableRawBufferPointer) -> Int, minimum: Int,
        _ call: (UnsafeMutableRawBufferPointer, Int) throws -> Int,
        _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        let length = try transform(in: scratch, writing: write, minimum: minimum, call)
        return try body(UnsafeRawBufferPointer(rebasing: scratch[0..<length]))
    }

    /// Writes a packet at the start of `buffer` (leaving `trailerRoom` after it) and
    /// transforms it in place: `call` gets the buffer and the packet's length and
    /// returns the new length.
    private func transform(
        in buffer: UnsafeMutableRawBufferPointer, writing write: (UnsafeMutableRawBufferPointer) -> Int, minimum: Int,
        _ call: (UnsafeMutableRawBufferPointer, Int) throws -> Int
    ) throws -> Int {
        let limit = min(buffer.count - Self.trailerRoom, Self.maximumPacketLength)
        guard limit >= minimum else { throw MediaError.srtpError(SrtpFailure.badParameter) }
        let written = write(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<limit]))
        guard written >= minimum, written <= limit else { throw MediaError.srtpError(SrtpFailure.badParameter) }
        let length = try call(buffer, written)
        guard length >= 0, length <= buffer.count else { throw MediaError.srtpError(SrtpFailure.badParameter) }
        return length
    }
}
