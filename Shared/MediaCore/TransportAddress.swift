#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address and UDP port. The address bytes are kept inline in two words
/// (no heap storage), so every datagram's source is built, hashed and compared
/// without allocating; `ip` gives the bytes for STUN's XOR-MAPPED-ADDRESS.
public struct TransportAddress: Hashable, Sendable, CustomStringConvertible {
    /// Network-order bytes 0–7 and 8–15 (an IPv4 address fills the top 4 bytes of `high`).
    private let high: UInt64
    private let low: UInt64
    public let isIPv6: Bool
    public var port: UInt16

    /// Parses a textual IPv4 or IPv6 address (no brackets, no zone id).
    public init?(ip: String, port: UInt16) {
        guard let bytes = Self.parse(ip, family: AF_INET, size: 4) ?? Self.parse(ip, family: AF_INET6, size: 16) else {
            return nil
        }
        self.init(ipBytes: bytes, port: port)
    }

    /// Builds from raw bytes; nil unless there are exactly 4 or 16.
    public init?(ipBytes: [UInt8], port: UInt16) {
        guard ipBytes.count == 4 || ipBytes.count == 16 else { return nil }
        self.init(high: Self.word(ipBytes, 0), low: ipBytes.count == 16 ? Self.word(ipBytes, 8) : 0,
                  isIPv6: ipBytes.count == 16, port: port)
    }

    /// An IPv4 address from its 32-bit network-order value read as a big-endian integer.
    public init(ipv4 value: UInt32, port: UInt16) {
        self.init(high: UInt64(value) << 32, low: 0, isIPv6: false, port: port)
    }

    /// An IPv6 address from its two halves read as big-endian integers.
    public init(ipv6High high: UInt64, low: UInt64, port: UInt16) {
        self.init(high: high, low: low, isIPv6: true, port: port)
    }

    private init(high: UInt64, low: UInt64, isIPv6: Bool, port: UInt16) {
        self.high = high
        self.low = low
        self.isIPv6 = isIPv6
        self.port = port
    }

    /// 4 bytes (IPv4) or 16 bytes (IPv6), network order.
    public var ip: [UInt8] {
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
        return isIPv6 ? bytes + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) } : Array(bytes.prefix(4))
    }

    /// Fills `storage` with this address as a `sockaddr_in` or `sockaddr_in6` (for
    /// sendmsg, without going through text); returns the structure's length.
    public func write(into storage: UnsafeMutablePointer<sockaddr_storage>) -> socklen_t {
        let raw = UnsafeMutableRawPointer(storage)
        if isIPv6 {
            var inet6 = sockaddr_in6()
            inet6.sin6_family = sa_family_t(AF_INET6)
            inet6.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &inet6.sin6_addr) { bytes in
                bytes.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
                bytes.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
            }
            raw.storeBytes(of: inet6, as: sockaddr_in6.self)
            return socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
        var inet = sockaddr_in()
        inet.sin_family = sa_family_t(AF_INET)
        inet.sin_port = port.bigEndian
        inet.sin_addr.s_addr = UInt32(truncatingIfNeeded: high >> 32).bigEndian
        raw.storeBytes(of: inet, as: sockaddr_in.self)
        return socklen_t(MemoryLayout<sockaddr_in>.size)
    }

    private static func word(_ bytes: [UInt8], _ start: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { value, index in
            value << 8 | UInt64(start + index < bytes.count ? bytes[start + index] : 0)
        }
    }

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
