import MediaCore
import NIOCore

extension TransportAddress {
    init?(_ address: SocketAddress) {
        guard let ip = address.ipAddress, let port = address.port, (0...65535).contains(port) else { return nil }
        self.init(ip: ip, port: UInt16(port))
    }
}

extension SocketAddress {
    init?(_ address: TransportAddress) {
        guard let made = try? SocketAddress(ipAddress: address.ipString, port: Int(address.port)) else { return nil }
        self = made
    }
}
