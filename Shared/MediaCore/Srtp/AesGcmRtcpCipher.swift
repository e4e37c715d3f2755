/// SRTCP under AEAD_AES_128_GCM (RFC 7714 §9 and §17), on OpenSSL.
///
/// Through libsrtp, every SRTCP packet went through NSS, whose per-operation
/// cost grows with the number of live contexts (a profile of a 750-listener
/// town hall had ~3 % of mediad's core in NSS for a few reports a second per
/// listener). With RTP and RTCP both here, a GCM session needs no libsrtp
/// context at all: ~30 KB less memory per participant and no ~1 ms
/// `srtp_create` per direction.
///
/// Packet layout: the 8-byte header (first RTCP header and sender SSRC) in
/// clear, the rest encrypted, the 16-byte tag, then the E flag and 31-bit SRTCP
/// index. Only encrypted SRTCP (E = 1) is accepted: every WebRTC stack sends it.
final class AesGcmRtcpCipher {
    static let headerLength = 8
    static let indexLength = 4
    static let overhead = AesGcmContext.tagLength + indexLength
    static let maximumIndex: UInt32 = 0x7FFF_FFFF
    /// Distinct sender SSRCs a receiver keeps replay windows for.
    static let maximumStreams = 8

    private let gcm: AesGcmContext
    /// The last index sent; like libsrtp, the first packet carries index 1.
    private var lastSent: UInt32 = 0
    private var windows: [RtpPacketIndex] = []

    init(masterKey: [UInt8], masterSalt: [UInt8], direction: AesGcmContext.Direction) throws {
        gcm = try AesGcmContext(
            key: try SrtpKeyDerivation.derive(.rtcpEncryption, masterKey: masterKey, masterSalt: masterSalt, length: 16),
            salt: try SrtpKeyDerivation.derive(.rtcpSalt, masterKey: masterKey, masterSalt: masterSalt, length: 12),
            direction: direction)
    }

    /// Encrypts the RTCP compound of `length` bytes at the start of `buffer` in place and
    /// appends the tag and the index; returns the SRTCP length.
    func protect(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws -> Int {
        guard gcm.direction == .encrypt, length >= Self.headerLength, length + Self.overhead <= buffer.count,
              buffer[0] >> 6 == 2, let packet = AesGcmContext.bytes(buffer) else {
            throw MediaError.srtpError(SrtpFailure.badParameter)
        }
        // An exhausted index would repeat a nonce: the key must be renegotiated.
        guard lastSent < Self.maximumIndex else { throw MediaError.srtpError(SrtpFailure.keyExpired) }
        let index = lastSent + 1
        let indexAt = length + AesGcmContext.tagLength
        Self.write(0x8000_0000 | index, at: indexAt, in: packet)
        setNonce(ssrc: Self.ssrc(packet), index: index)
        try gcm.seal(packet, associated: 0..<Self.headerLength, trailingAssociated: indexAt..<indexAt + Self.indexLength,
                     text: Self.headerLength..<length, tagAt: length)
        lastSent = index
        return indexAt + Self.indexLength
    }

    /// Checks and decrypts the SRTCP packet of `length` bytes at the start of `buffer` in
    /// place; returns the RTCP length. Replays, forgeries and unencrypted SRTCP throw.
    func unprotect(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws -> Int {
        let plainLength = length - Self.overhead
        guard gcm.direction == .decrypt, length <= buffer.count, plainLength >= Self.headerLength,
              buffer[0] >> 6 == 2, let packet = AesGcmContext.bytes(buffer) else {
            throw MediaError.srtpError(SrtpFailure.badParameter)
        }
        let indexAt = length - Self.indexLength
        let word = Self.read(at: indexAt, in: packet)
        guard word & 0x8000_0000 != 0 else { throw MediaError.srtpError(SrtpFailure.badParameter) }
        let index = word & Self.maximumIndex, ssrc = Self.ssrc(packet)
        let slot = windows.firstIndex { $0.ssrc == ssrc }
        if let slot, !windows[slot].isFresh(UInt64(index)) { throw MediaError.srtpError(SrtpFailure.replayed) }
        guard slot != nil || windows.count < Self.maximumStreams else { throw MediaError.srtpError(SrtpFailure.badParameter) }
        setNonce(ssrc: ssrc, index: index)
        try gcm.open(packet, associated: 0..<Self.headerLength, trailingAssociated: indexAt..<length,
                     text: Self.headerLength..<plainLength, tagAt: plainLength)
        if let slot {
            windows[slot].accept(UInt64(index))
        } else {
            windows.append(RtpPacketIndex(ssrc: ssrc, firstIndex: UInt64(index)))
        }
        return plainLength
    }

    /// (0x0000 || SSRC || 0x0000 || 0 || SRTCP index) XOR the session salt (RFC 7714 §9.1).
    private func setNonce(ssrc: UInt32, index: UInt32) {
        gcm.setNonce { nonce in
            Self.write(ssrc, at: 2, in: nonce)
            Self.write(index, at: 8, in: nonce)
        }
    }

    private static func ssrc(_ packet: UnsafeMutablePointer<UInt8>) -> UInt32 { read(at: 4, in: packet) }

    private static func read(at offset: Int, in bytes: UnsafeMutablePointer<UInt8>) -> UInt32 {
        (0..<4).reduce(0) { $0 << 8 | UInt32(bytes[offset + $1]) }
    }

    private static func write(_ value: UInt32, at offset: Int, in bytes: UnsafeMutablePointer<UInt8>) {
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (24 - 8 * i)) }
    }
}
