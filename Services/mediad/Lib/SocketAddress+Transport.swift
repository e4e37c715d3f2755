import MediaCore
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

extension TransportAddress {
    /// Straight from the socket address structure: every datagram's source goes
    /// through here, so no text formatting and no parsing.
    init?(_ address: SocketAddress) {
        switch address {
        case .v4(let v4):
            let inet = v4.address
            self.init(ipv4: UInt32(bigEndian: inet.sin_addr.s_addr), port: UInt16(bigEndian: inet.sin_port))
        case .v6(let v6):
            let inet6 = v6.address
            let (high, low) = withUnsafeBytes(of: inet6.sin6_addr) { raw in
                (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self).bigEndian,
                 raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self).bigEndian)
            }
            self.init(ipv6High: high, low: low, port: UInt16(bigEndian: inet6.sin6_port))
        default:
            return nil
        }
    }
}
