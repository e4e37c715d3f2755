/// ICE ufrag/pwd generation (RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/").
public enum IceCredentials {
    static let iceChars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    /// At least 4 characters are required; 8 gives 48 bits of entropy.
    public static func randomUfrag(length: Int = 8) -> String { random(length: max(4, length)) }

    /// At least 22 characters (128 bits) are required.
    public static func randomPassword(length: Int = 24) -> String { random(length: max(22, length)) }

    public static func isValid(_ text: String, minimumLength: Int) -> Bool {
        text.count >= minimumLength && text.count <= 256 && text.allSatisfy { iceChars.contains($0) }
    }

    private static func random(length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in iceChars.randomElement(using: &generator) ?? "A" })
    }
}
