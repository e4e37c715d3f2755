import COpenSSL

/// The SRTP key derivation of RFC 3711 §4.3 (key derivation rate 0), which
/// RFC 7714 §11 keeps for AES-GCM: each session key is the AES counter-mode
/// keystream under the master key, started at (master salt XOR label) · 2^16.
/// A 12-byte GCM master salt is zero-padded to the 14 bytes the PRF expects.
enum SrtpKeyDerivation {
    enum Label: UInt8 {
        case rtpEncryption = 0x00
        case rtpSalt = 0x02
        case rtcpEncryption = 0x03
        case rtcpSalt = 0x05
    }

    /// `length` bytes (at most one AES block) of the keystream for `label`.
    static func derive(_ label: Label, masterKey: [UInt8], masterSalt: [UInt8], length: Int) throws -> [UInt8] {
        guard masterKey.count == 16, masterSalt.count <= 14, (1...16).contains(length) else {
            throw MediaError.srtpError(SrtpFailure.badParameter)
        }
        // x = salt XOR (label || r), r = 0, the label at byte 7 of the 14-byte salt;
        // the last two bytes are the block counter, 0 for the first block.
        var block = [UInt8](repeating: 0, count: 16)
        for (index, byte) in masterSalt.enumerated() { block[index] = byte }
        block[7] ^= label.rawValue
        var keystream = [UInt8](repeating: 0, count: 32)
        guard let context = EVP_CIPHER_CTX_new() else { throw MediaError.srtpError(SrtpFailure.cipherUnavailable) }
        defer { EVP_CIPHER_CTX_free(context) }
        var written: Int32 = 0
        guard EVP_EncryptInit_ex(context, EVP_aes_128_ecb(), nil, masterKey, nil) == 1,
              EVP_EncryptUpdate(context, &keystream, &written, block, 16) == 1, written == 16 else {
            throw MediaError.srtpError(SrtpFailure.cipherUnavailable)
        }
        return Array(keystream[0..<length])
    }
}
