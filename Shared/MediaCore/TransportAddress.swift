#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address and UDP port, as raw bytes so it hashes cheaply and can be
/// XOR-ed into STUN attributes without conversions.
public struct TransportAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 bytes (IPv6), network order.
    public var ip: [UInt8]
    public var port: UInt16

    /// Parses a textual IPv4 or IPv6 address (no brackets, no zone id).
    public init?(ip: String, port: UInt16) {
        if let v4 = Self.parse(ip, family: AF_INET, size: 4) {
            self.ip = v4
        } else if let v6 = Self.parse(ip, family: AF_INET6, size: 16) {
            self.ip = v6
        } else {
            return nil
        }
        self.port = port
    }

    /// Builds from raw bytes; nil unless there are exactly 4 or 16.
    public init?(ipBytes: [UInt8], port: UInt16) {
        guard ipBytes.count == 4 || ipBytes.count == 16 else { return nil }
        self.ip = ipBytes
        self.port = port
    }

    public var isIPv6: Bool { ip.count == 16 }

    public var ipString: String {
        let family = isIPv6 ? AF_INET6 : AF_INET
        var text = [CChar](repeating: 0, count: 64)
        let ok = ip.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &text, socklen_t(text.count)) != nil
        }
        guard ok else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public var description: String {
        isIPv6 ? "[\(ipString)]:\(port)" : "\(ipString):\(port)"
    }

    private static func parse(_ text: String, family: Int32, size: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: size)
        let result = buffer.withUnsafeMutableBytes { raw in
            inet_pton(family, text, raw.baseAddress)
        }
        return result == 1 ? buffer : nil
    }
}
