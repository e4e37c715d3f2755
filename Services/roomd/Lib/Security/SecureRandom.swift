import Foundation

/// Cryptographically secure random values: tokens, ids, salts.
public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// base64url without padding.
    public static func base64URL(byteCount: Int) -> String {
        Base64URL.encode(bytes(byteCount))
    }

    private static let idAlphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    /// `prefix` + `length` url-safe characters, e.g. `r_4fKx9QbT2mZa`.
    public static func identifier(prefix: String, length: Int = 12) -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + String((0..<length).map { _ in idAlphabet.randomElement(using: &generator)! })
    }
}

enum Base64URL {
    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
