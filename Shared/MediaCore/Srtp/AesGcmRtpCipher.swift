import COpenSSL

/// SRTP for RTP packets under AEAD_AES_128_GCM (RFC 7714 §8), on OpenSSL.
///
/// Debian's libsrtp2 does its AES-GCM through NSS, which builds a PKCS#11
/// context and takes locks for every packet (~1.5 µs a packet, and cache-cold
/// with hundreds of sessions); a server sending one mix to 1,000 listeners
/// spends a sixth of its core there. This cipher keeps one OpenSSL context
/// per direction keyed once, so a packet costs an IV set-up and the AES-NI
/// work. SRTCP stays with libsrtp: it is a few packets a second.
final class AesGcmRtpCipher {
    static let tagLength = 16
    /// Distinct SSRCs one direction tracks; a peer sends one audio SSRC, so
    /// packets from further SSRCs are refused rather than grow the table.
    static let maximumStreams = 8

    enum Direction { case encrypt, decrypt }

    private let direction: Direction
    private let context: OpaquePointer
    private let sessionSalt: [UInt8]
    // Fixed buffers rather than arrays: an array stored in a class pays a uniqueness
    // and an exclusivity check on every element written, some 30 per packet here.
    private let streams = UnsafeMutablePointer<RtpPacketIndex>.allocate(capacity: AesGcmRtpCipher.maximumStreams)
    private var streamCount = 0
    private let iv = UnsafeMutablePointer<UInt8>.allocate(capacity: 12)
    private let tag = UnsafeMutablePointer<UInt8>.allocate(capacity: AesGcmRtpCipher.tagLength)

    init(masterKey: [UInt8], masterSalt: [UInt8], direction: Direction) throws {
        let sessionKey = try SrtpKeyDerivation.derive(.rtpEncryption, masterKey: masterKey, masterSalt: masterSalt, length: 16)
        sessionSalt = try SrtpKeyDerivation.derive(.rtpSalt, masterKey: masterKey, masterSalt: masterSalt, length: 12)
        guard let context = EVP_CIPHER_CTX_new() else { throw MediaError.srtpError(SrtpFailure.cipherUnavailable) }
        // The direction is fixed here; each packet's set-up (`crypt`) keeps it (-1).
        guard EVP_CipherInit_ex(context, EVP_aes_128_gcm(), nil, sessionKey, nil, direction == .encrypt ? 1 : 0) == 1 else {
            EVP_CIPHER_CTX_free(context)
            throw MediaError.srtpError(SrtpFailure.cipherUnavailable)
        }
        self.direction = direction
        self.context = context
    }

    deinit {
        EVP_CIPHER_CTX_free(context)
        streams.deinitialize(count: streamCount)
        streams.deallocate()
        iv.deallocate()
        tag.deallocate()
    }

    /// Encrypts the RTP packet of `length` bytes at the start of `buffer` in place and
    /// appends the tag; returns the SRTP length. `buffer` must have room for the tag.
    func protect(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws -> Int {
        guard direction == .encrypt, length + Self.tagLength <= buffer.count,
              let header = Self.headerLength(buffer, length: length) else {
            throw MediaError.srtpError(SrtpFailure.badParameter)
        }
        let (ssrc, sequence) = Self.ssrcAndSequence(buffer)
        let known = try knownStream(ssrc)
        let index = known.map { streams[$0].estimate(sequence) } ?? UInt64(sequence)
        // A sender only moves forward: a repeated or older index would reuse a nonce,
        // which GCM must never do under one key.
        if let known, index <= streams[known].highest { throw MediaError.srtpError(SrtpFailure.replayed) }
        try crypt(buffer, header: header, end: length, ssrc: ssrc, index: index)
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, Int32(Self.tagLength), tag) == 1 else {
            throw MediaError.srtpError(SrtpFailure.cipherUnavailable)
        }
        UnsafeMutableRawBufferPointer(rebasing: buffer[length..<length + Self.tagLength])
            .copyMemory(from: UnsafeRawBufferPointer(start: tag, count: Self.tagLength))
        record(index, sequence: sequence, ssrc: ssrc, in: known)
        return length + Self.tagLength
    }

    /// Checks and decrypts the SRTP packet of `length` bytes at the start of `buffer` in
    /// place; returns the RTP length. Replays and forged packets throw.
    func unprotect(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws -> Int {
        let plainLength = length - Self.tagLength
        guard direction == .decrypt, length <= buffer.count, plainLength >= 12,
              let header = Self.headerLength(buffer, length: plainLength) else {
            throw MediaError.srtpError(SrtpFailure.badParameter)
        }
        let (ssrc, sequence) = Self.ssrcAndSequence(buffer)
        let known = try knownStream(ssrc)
        let index = known.map { streams[$0].estimate(sequence) } ?? UInt64(sequence)
        if let known, !streams[known].isFresh(index) { throw MediaError.srtpError(SrtpFailure.replayed) }
        UnsafeMutableRawBufferPointer(start: tag, count: Self.tagLength)
            .copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[plainLength..<length]))
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, Int32(Self.tagLength), tag) == 1 else {
            throw MediaError.srtpError(SrtpFailure.cipherUnavailable)
        }
        try crypt(buffer, header: header, end: plainLength, ssrc: ssrc, index: index)
        record(index, sequence: sequence, ssrc: ssrc, in: known)
        return plainLength
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

    // MARK: - AES-GCM

    /// IV = (0x0000 || SSRC || ROC || SEQ) XOR session salt (RFC 7714 §8.1); the header is
    /// the associated data, the rest is encrypted in place; for decryption the expected tag
    /// must be set first, and the final step checks it.
    private func crypt(_ buffer: UnsafeMutableRawBufferPointer, header: Int, end: Int, ssrc: UInt32, index: UInt64) throws {
        let roc = UInt32(truncatingIfNeeded: index >> 16)
        for i in 0..<12 { iv[i] = sessionSalt[i] }
        for i in 0..<4 { iv[2 + i] ^= UInt8(truncatingIfNeeded: ssrc >> (24 - 8 * i)) }
        for i in 0..<4 { iv[6 + i] ^= UInt8(truncatingIfNeeded: roc >> (24 - 8 * i)) }
        iv[10] ^= UInt8(truncatingIfNeeded: index >> 8)
        iv[11] ^= UInt8(truncatingIfNeeded: index)
        guard let start = buffer.baseAddress else { throw MediaError.srtpError(SrtpFailure.badParameter) }
        let base = start.assumingMemoryBound(to: UInt8.self)
        var written: Int32 = 0
        guard EVP_CipherInit_ex(context, nil, nil, nil, iv, -1) == 1,
              EVP_CipherUpdate(context, nil, &written, base, Int32(header)) == 1,
              EVP_CipherUpdate(context, base + header, &written, base + header, Int32(end - header)) == 1,
              EVP_CipherFinal_ex(context, base + end, &written) == 1 else {
            throw MediaError.srtpError(direction == .decrypt ? SrtpFailure.authenticationFailed : SrtpFailure.cipherUnavailable)
        }
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
