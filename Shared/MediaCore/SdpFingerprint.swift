/// `a=fingerprint:<hash-func> <AA:BB:...>` (RFC 8122): hash of the peer's DTLS certificate.
public struct SdpFingerprint: Hashable, Sendable {
    /// Lower-cased hash name: "sha-256", "sha-384", "sha-512", ...
    public var algorithm: String
    /// Upper-case hex pairs joined by colons, as browsers print it.
    public var hex: String

    public init(algorithm: String, hex: String) {
        self.algorithm = algorithm.lowercased()
        self.hex = hex.uppercased()
    }

    public init?(attributeValue: String) {
        let parts = attributeValue.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        self.init(algorithm: String(parts[0]), hex: String(parts[1]))
        guard bytes != nil else { return nil }
    }

    /// Formats raw digest bytes the way SDP wants them.
    public init(algorithm: String, digest: [UInt8]) {
        let hexDigits = Array("0123456789ABCDEF")
        let pairs = digest.map { String([hexDigits[Int($0 >> 4)], hexDigits[Int($0 & 0x0F)]]) }
        self.init(algorithm: algorithm, hex: pairs.joined(separator: ":"))
    }

    /// The digest bytes; nil when the hex is malformed.
    public var bytes: [UInt8]? {
        let pairs = hex.split(separator: ":", omittingEmptySubsequences: false)
        guard !pairs.isEmpty else { return nil }
        var out: [UInt8] = []
        for pair in pairs {
            guard pair.count == 2, let byte = UInt8(pair, radix: 16) else { return nil }
            out.append(byte)
        }
        return out
    }
}
