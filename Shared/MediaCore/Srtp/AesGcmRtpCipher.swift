/// SRTP for RTP packets under AEAD_AES_128_GCM (RFC 7714 §8), on OpenSSL.
///
/// Debian's libsrtp2 does its AES-GCM through NSS, which builds a PKCS#11
/// context and takes locks for every packet (~1.5 µs a packet, and cache-cold
/// with hundreds of sessions); a server sending one mix to 1,000 listeners
/// spends a sixth of its core there. This cipher keeps one OpenSSL context
/// per direction keyed once, so a packet costs an IV set-up and the AES-NI
/// work. SRTCP has its own cipher, `AesGcmRtcpCipher`.
final class AesGcmRtpCipher {
    static let tagLength = AesGcmContext.tagLength
    /// Distinct SSRCs one direction tracks; a peer sends one audio SSRC, so
    /// packets from further SSRCs are refused rather than grow the table.
    static let maximumStreams = 8

    private let gcm: AesGcmContext
    // A fixed buffer rather than an array: see `AesGcmContext`.
    private let streams = UnsafeMutablePointer<RtpPacketIndex>.allocate(capacity: AesGcmRtpCipher.maximumStreams)
    private var streamCount = 0

    init(masterKey: [UInt8], masterSalt: [UInt8], direction: AesGcmContext.Direction) throws {
        gcm = try AesGcmContext(
            key: try SrtpKeyDerivation.derive(.rtpEncryption, masterKey: masterKey, masterSalt: masterSalt, length: 16),
            salt: try SrtpKeyDerivation.derive(.rtpSalt, masterKey: masterKey, masterSalt: masterSalt, length: 12),
            direction: direction)
    }

    /// This object, its stream table and the OpenSSL side (see `SrtpContext.hotMemory`).
    var hotMemory: [UnsafeRawPointer] {
        [UnsafeRawPointer(addressOf: self), UnsafeRawPointer(streams)] + gcm.hotMemory
    }

    deinit {
        streams.deinitialize(count: streamCount)
        streams.deallocate()
    }

    /// Encrypts the RTP packet of `length` bytes at the start of `buffer` in place and
    /// appends the tag; returns the SRTP length. `buffer` must have room for the tag.
    func protect(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws -> Int {
        guard gcm.direction == .encrypt, length + Self.tagLength <= buffer.count,
              let header = Self.headerLength(buffer, length: length), let packet = AesGcmContext.bytes(buffer) else {
            throw MediaError.srtpError(SrtpFailure.badParameter)
        }
        let (ssrc, sequence) = Self.ssrcAndSequence(buffer)
        let known = try knownStream(ssrc)
        let index = known.map { streams[$0].estimate(sequence) } ?? UInt64(sequence)
        // A sender only moves forward: a repeated or older index would reuse a nonce,
        // which GCM must never do under one key.
        if let known, index <= streams[known].highest { throw MediaError.srtpError(SrtpFailure.replayed) }
        setNonce(ssrc: ssrc, index: index)
        try gcm.seal(packet, associated: 0..<header, text: header..<length, tagAt: length)
        record(index, sequence: sequence, ssrc: ssrc, in: known)
        return length + Self.tagLength
    }

    /// Checks and decrypts the SRTP packet of `length` bytes at the start of `buffer` in
    /// place; returns the RTP length. Replays and forged packets throw.
    func unprotect(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws -> Int {
        let plainLength = length - Self.tagLength
        guard gcm.direction == .decrypt, length <= buffer.count, plainLength >= 12,
              let header = Self.headerLength(buffer, length: plainLength), let packet = AesGcmContext.bytes(buffer) else {
            throw MediaError.srtpError(SrtpFailure.badParameter)
        }
        let (ssrc, sequence) = Self.ssrcAndSequence(buffer)
        let known = try knownStream(ssrc)
        let index = known.map { streams[$0].estimate(sequence) } ?? UInt64(sequence)
        if let known, !streams[known].isFresh(index) { throw MediaError.srtpError(SrtpFailure.replayed) }
        setNonce(ssrc: ssrc, index: index)
        try gcm.open(packet, associated: 0..<header, text: header..<plainLength, tagAt: plainLength)
        record(index, sequence: sequence, ssrc: ssrc, in: known)
        return plainLength
    }

    /// (0x0000 || SSRC || ROC || SEQ) XOR the session salt (RFC 7714 §8.1).
    private func setNonce(ssrc: UInt32, index: UInt64) {
        let roc = UInt32(truncatingIfNeeded: index >> 16)
        gcm.setNonce { nonce in
            for i in 0..<4 { nonce[2 + i] = UInt8(truncatingIfNeeded: ssrc >> (24 - 8 * i)) }
            for i in 0..<4 { nonce[6 + i] = UInt8(truncatingIfNeeded: roc >> (24 - 8 * i)) }
            nonce[10] = UInt8(truncatingIfNeeded: index >> 8)
            nonce[11] = UInt8(truncatingIfNeeded: index)
        }
    }

    // MARK: - Packet layout

    /// Fixed header, CSRCs and header extension: the bytes authenticated but not encrypted.
    static func headerLength(_ packet: UnsafeMutableRawBufferPointer, length: Int) -> Int? {
        guard length >= 12, packet[0] >> 6 == 2 else { return nil }
        var header = 12 + 4 * Int(packet[0] & 0x0F)
        if packet[0] & 0x10 != 0 {
            guard header + 4 <= length else { return nil }
            header += 4 + 4 * (Int(packet[header + 2]) << 8 | Int(packet[header + 3]))
        }
        return header <= length ? header : nil
    }

    private static func ssrcAndSequence(_ packet: UnsafeMutableRawBufferPointer) -> (UInt32, UInt16) {
        let ssrc = UInt32(packet[8]) << 24 | UInt32(packet[9]) << 16 | UInt32(packet[10]) << 8 | UInt32(packet[11])
        return (ssrc, UInt16(packet[2]) << 8 | UInt16(packet[3]))
    }

    // MARK: - Streams

    /// The slot of `ssrc`, nil for a new SSRC; throws when the table is full.
    private func knownStream(_ ssrc: UInt32) throws -> Int? {
        for slot in 0..<streamCount where streams[slot].ssrc == ssrc { return slot }
        guard streamCount < Self.maximumStreams else { throw MediaError.srtpError(SrtpFailure.badParameter) }
        return nil
    }

    /// A stream starts at its first packet that went through (rollover counter 0).
    private func record(_ index: UInt64, sequence: UInt16, ssrc: UInt32, in slot: Int?) {
        if let slot {
            streams[slot].accept(index)
        } else {
            (streams + streamCount).initialize(to: RtpPacketIndex(ssrc: ssrc, firstSequence: sequence))
            streamCount += 1
        }
    }
}
