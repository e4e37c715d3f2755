import Crypto
import Foundation

/// The certificate fingerprint of an SDP `a=fingerprint` line (RFC 8122).
public struct DtlsFingerprint: Equatable, Sendable {
    /// Lowercase hash name: sha-256, sha-384 or sha-512.
    public let algorithm: String
    public let digest: [UInt8]

    /// Parses `AB:CD:…` (either case); nil for other algorithms or a
    /// digest of the wrong length.
    public init?(algorithm: String, value: String) {
        let algorithm = algorithm.lowercased()
        guard let length = Self.digestLength[algorithm] else { return nil }
        var digest: [UInt8] = []
        for pair in value.split(separator: ":", omittingEmptySubsequences: false) {
            guard pair.count == 2, let byte = UInt8(pair, radix: 16) else { return nil }
            digest.append(byte)
        }
        guard digest.count == length else { return nil }
        self.algorithm = algorithm
        self.digest = digest
    }

    /// The fingerprint of a DER certificate; nil for an unsupported algorithm.
    public init?(der: [UInt8], algorithm: String) {
        let algorithm = algorithm.lowercased()
        switch algorithm {
        case "sha-256": digest = Array(SHA256.hash(data: der))
        case "sha-384": digest = Array(SHA384.hash(data: der))
        case "sha-512": digest = Array(SHA512.hash(data: der))
        default: return nil
        }
        self.algorithm = algorithm
    }

    /// Uppercase hex with colons, as written in SDP.
    public var value: String {
        digest.map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// The digest name OpenSSL's EVP_get_digestbyname understands.
    var openSSLName: String {
        algorithm.replacingOccurrences(of: "-", with: "").uppercased()
    }

    private static let digestLength = ["sha-256": 32, "sha-384": 48, "sha-512": 64]
}
