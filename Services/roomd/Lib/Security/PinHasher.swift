import Crypto
import Foundation

/// Room PINs are stored as `sha256i$<iterations>$<salt hex>$<digest hex>`: a random
/// 16-byte salt and iterated SHA-256, compared in constant time.
public enum PinHasher {
    static let iterations = 10_000

    public static func hash(_ pin: String) -> String {
        let salt = SecureRandom.bytes(16)
        return "sha256i$\(iterations)$\(TokenHasher.hex(salt))$\(TokenHasher.hex(digest(pin, salt: salt, iterations: iterations)))"
    }

    public static func verify(_ pin: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 4, parts[0] == "sha256i", let rounds = Int(parts[1]), (1...1_000_000).contains(rounds),
              let salt = bytes(fromHex: parts[2]), let expected = bytes(fromHex: parts[3]) else { return false }
        return ConstantTime.equals(digest(pin, salt: salt, iterations: rounds), expected)
    }

    private static func digest(_ pin: String, salt: [UInt8], iterations: Int) -> [UInt8] {
        var state = Array(SHA256.hash(data: salt + Array(pin.utf8)))
        for _ in 1..<max(iterations, 1) {
            var hasher = SHA256()
            hasher.update(data: state)
            hasher.update(data: salt)
            state = Array(hasher.finalize())
        }
        return state
    }

    static func bytes(fromHex hex: String) -> [UInt8]? {
        let characters = Array(hex.utf8)
        guard characters.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(characters.count / 2)
        for index in stride(from: 0, to: characters.count, by: 2) {
            guard let byte = UInt8(String(decoding: characters[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            result.append(byte)
        }
        return result
    }
}
