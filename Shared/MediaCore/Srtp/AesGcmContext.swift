import COpenSSL

/// One AES-128-GCM session key and salt on OpenSSL, keyed once for one
/// direction, so a packet costs a nonce set-up and the AES-NI work. The RTP
/// and RTCP ciphers of RFC 7714 seal and open their packets in place through it.
final class AesGcmContext {
    static let tagLength = 16
    static let nonceLength = 12

    enum Direction { case encrypt, decrypt }

    let direction: Direction
    /// The next packet's nonce: the caller fills it before `seal` or `open`.
    let nonce: UnsafeMutablePointer<UInt8>
    private let context: OpaquePointer
    // Fixed buffers rather than arrays: an array stored in a class pays a uniqueness
    // and an exclusivity check on every element written. Nonce, salt and tag share
    // one cache line: a thousand listeners' contexts are never all in cache.
    private let salt: UnsafeMutablePointer<UInt8>
    private let tag: UnsafeMutablePointer<UInt8>
    private static let bufferBytes = 64

    init(key: [UInt8], salt: [UInt8], direction: Direction) throws {
        guard key.count == 16, salt.count == Self.nonceLength, let context = EVP_CIPHER_CTX_new() else {
            throw MediaError.srtpError(SrtpFailure.badParameter)
        }
        // The direction is fixed here; each packet's set-up keeps it (-1).
        guard EVP_CipherInit_ex(context, EVP_aes_128_gcm(), nil, key, nil, direction == .encrypt ? 1 : 0) == 1 else {
            EVP_CIPHER_CTX_free(context)
            throw MediaError.srtpError(SrtpFailure.cipherUnavailable)
        }
        self.direction = direction
        self.context = context
        let buffers = UnsafeMutableRawPointer.allocate(byteCount: Self.bufferBytes, alignment: Self.bufferBytes)
            .initializeMemory(as: UInt8.self, repeating: 0, count: Self.bufferBytes)
        nonce = buffers
        self.salt = buffers + Self.nonceLength
        tag = buffers + 2 * Self.nonceLength
        self.salt.update(from: salt, count: Self.nonceLength)
    }

    deinit {
        EVP_CIPHER_CTX_free(context)
        nonce.deinitialize(count: Self.bufferBytes)
        UnsafeMutableRawPointer(nonce).deallocate()
    }

    /// This object, the nonce line and OpenSSL's context (see `SrtpContext.hotMemory`).
    var hotMemory: [UnsafeRawPointer] {
        [UnsafeRawPointer(addressOf: self), UnsafeRawPointer(nonce), UnsafeRawPointer(context)]
    }

    /// A packet buffer as the bytes `seal` and `open` work on.
    static func bytes(_ buffer: UnsafeMutableRawBufferPointer) -> UnsafeMutablePointer<UInt8>? {
        buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
    }

    /// Sets the nonce to the session salt XOR the 12-byte block `fields` writes (into zeros).
    func setNonce(_ fields: (UnsafeMutablePointer<UInt8>) -> Void) {
        nonce.update(repeating: 0, count: Self.nonceLength)
        fields(nonce)
        for i in 0..<Self.nonceLength { nonce[i] ^= salt[i] }
    }

    /// Authenticates `associated` then `trailingAssociated`, encrypts `text` in place and
    /// writes the tag at `tagAt` (all offsets into `packet`).
    func seal(_ packet: UnsafeMutablePointer<UInt8>, associated: Range<Int>, trailingAssociated: Range<Int>? = nil,
              text: Range<Int>, tagAt: Int) throws {
        guard direction == .encrypt else { throw MediaError.srtpError(SrtpFailure.badParameter) }
        try crypt(packet, associated: associated, trailingAssociated: trailingAssociated, text: text)
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, Int32(Self.tagLength), packet + tagAt) == 1 else {
            throw MediaError.srtpError(SrtpFailure.cipherUnavailable)
        }
    }

    /// Checks the tag at `tagAt` over the same fields as `seal` and decrypts `text` in
    /// place; a forged or damaged packet throws `authenticationFailed`.
    func open(_ packet: UnsafeMutablePointer<UInt8>, associated: Range<Int>, trailingAssociated: Range<Int>? = nil,
              text: Range<Int>, tagAt: Int) throws {
        guard direction == .decrypt else { throw MediaError.srtpError(SrtpFailure.badParameter) }
        tag.update(from: packet + tagAt, count: Self.tagLength)
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, Int32(Self.tagLength), tag) == 1 else {
            throw MediaError.srtpError(SrtpFailure.cipherUnavailable)
        }
        try crypt(packet, associated: associated, trailingAssociated: trailingAssociated, text: text)
    }

    /// The associated data goes in before any text, as GCM requires; the final step
    /// of a decryption checks the tag set before.
    private func crypt(_ packet: UnsafeMutablePointer<UInt8>, associated: Range<Int>, trailingAssociated: Range<Int>?,
                       text: Range<Int>) throws {
        var written: Int32 = 0
        guard EVP_CipherInit_ex(context, nil, nil, nil, nonce, -1) == 1,
              EVP_CipherUpdate(context, nil, &written, packet + associated.lowerBound, Int32(associated.count)) == 1,
              trailingAssociated.map({ EVP_CipherUpdate(context, nil, &written, packet + $0.lowerBound, Int32($0.count)) == 1 }) ?? true,
              EVP_CipherUpdate(context, packet + text.lowerBound, &written, packet + text.lowerBound, Int32(text.count)) == 1,
              EVP_CipherFinal_ex(context, packet + text.upperBound, &written) == 1 else {
            throw MediaError.srtpError(direction == .decrypt ? SrtpFailure.authenticationFailed : SrtpFailure.cipherUnavailable)
        }
    }
}
