// IP_PKTINFO control messages need the CMSG macros, wrapped in CShim.
import CShim
import Foundation
import MediaCore

/// A participant's plain non-blocking UDP socket. The participant sends on it from
/// the media loop; the `ListenerPoller` reads it and is the only one that closes it,
/// so a descriptor number is never reused while a read of the old socket is in flight.
struct UdpSocket {
    let descriptor: CInt
    let localAddress: TransportAddress
    /// On a `SharedPort`: the IPv4 source address its datagrams go out with.
    var sharedSource: UInt32? = nil

    struct Failure: Error, CustomStringConvertible {
        let description: String

        /// A system call that failed, with the reason errno gives.
        static func call(_ name: String) -> Failure {
            let code = errno
            return Failure(description: "\(name): \(String(cString: strerror(code))) (errno \(code))")
        }
    }

    /// Binds a fresh socket to an ephemeral port on `host` (an address, or a name to resolve).
    static func bind(host: String) throws -> UdpSocket {
        let name = SocketName(try resolve(host))
        let family = name.isIPv6 ? AF_INET6 : AF_INET
        let descriptor = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure.call("socket") }
        do {
            guard name.withSockaddr({ Glibc.bind(descriptor, $0, $1) }) == 0 else { throw Failure.call("bind \(host)") }
            var bound = SocketName()
            guard bound.fill({ getsockname(descriptor, $0, $1) }) == 0, let local = bound.transportAddress else {
                throw Failure.call("getsockname")
            }
            return UdpSocket(descriptor: descriptor, localAddress: local)
        } catch {
            // Not yet known to the poller, so nothing can be reading it.
            Glibc.close(descriptor)
            throw error
        }
    }

    /// Sends one datagram; false when the kernel refused it (full buffer, unreachable family).
    func send(_ bytes: [UInt8], to name: SocketName) -> Bool {
        if let sharedSource { return send(bytes, to: name, from: sharedSource) }
        while true {
            let result = bytes.withUnsafeBytes { payload in
                name.withSockaddr { address, length in
                    sendto(descriptor, payload.baseAddress, payload.count, 0, address, length)
                }
            }
            if result >= 0 { return true }
            if errno != EINTR { return false }
        }
    }

    /// sendmsg with an IP_PKTINFO message that picks the source address (never blocks:
    /// a `SharedPort`'s socket blocks for its reader).
    private func send(_ bytes: [UInt8], to name: SocketName, from source: UInt32) -> Bool {
        let controlLength = Int(parley_cmsg_space(MemoryLayout<in_pktinfo>.size))
        return withUnsafeTemporaryAllocation(byteCount: controlLength, alignment: 16) { control in
            control.initializeMemory(as: UInt8.self, repeating: 0)
            var header = msghdr()
            header.msg_control = control.baseAddress
            header.msg_controllen = controlLength
            guard let message = parley_cmsg_firsthdr(&header), let data = parley_cmsg_data(message) else { return false }
            message.pointee.cmsg_level = CInt(IPPROTO_IP)
            message.pointee.cmsg_type = IP_PKTINFO
            message.pointee.cmsg_len = parley_cmsg_len(MemoryLayout<in_pktinfo>.size)
            var info = in_pktinfo()
            info.ipi_spec_dst.s_addr = source.bigEndian
            data.storeBytes(of: info, as: in_pktinfo.self)
            var destination = name.storage
            return bytes.withUnsafeBytes { payload in
                var vector = iovec(iov_base: UnsafeMutableRawPointer(mutating: payload.baseAddress), iov_len: payload.count)
                return withUnsafeMutablePointer(to: &destination) { address in
                    withUnsafeMutablePointer(to: &vector) { vectorPointer in
                        header.msg_name = UnsafeMutableRawPointer(address)
                        header.msg_namelen = name.length
                        header.msg_iov = vectorPointer
                        header.msg_iovlen = 1
                        while true {
                            if sendmsg(descriptor, &header, CInt(MSG_DONTWAIT)) >= 0 { return true }
                            if errno != EINTR { return false }
                        }
                    }
                }
            }
        }
    }

    static func resolve(_ host: String) throws -> TransportAddress {
        if let numeric = TransportAddress(ip: host, port: 0) { return numeric }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        defer { if let list { freeaddrinfo(list) } }
        guard status == 0, let first = list?.pointee, let address = first.ai_addr else {
            throw Failure(description: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        var name = SocketName()
        withUnsafeMutableBytes(of: &name.storage) { storage in
            storage.copyMemory(from: UnsafeRawBufferPointer(start: address, count: min(Int(first.ai_addrlen), storage.count)))
        }
        guard let resolved = name.transportAddress else { throw Failure(description: "cannot resolve \(host): no IP address") }
        return resolved
    }
}

/// A socket address in the form the system calls take, built once per destination.
struct SocketName {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)

    init() {}

    init(_ address: TransportAddress) {
        length = address.write(into: &storage)
    }

    var isIPv6: Bool { Int32(storage.ss_family) == AF_INET6 }

    func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafePointer(to: storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }

    /// Lets a call (getsockname, recvfrom) write the address and its length.
    mutating func fill<Result>(_ body: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Result) -> Result {
        length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        return withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, &length) }
        }
    }

    /// The address read as IPv4 or IPv6; nil for any other family.
    var transportAddress: TransportAddress? {
        withUnsafeBytes(of: storage) { raw in
            switch Int32(storage.ss_family) {
            case AF_INET:
                let inet = raw.loadUnaligned(as: sockaddr_in.self)
                return TransportAddress(ipv4: UInt32(bigEndian: inet.sin_addr.s_addr), port: UInt16(bigEndian: inet.sin_port))
            case AF_INET6:
                let inet6 = raw.loadUnaligned(as: sockaddr_in6.self)
                let (high, low) = withUnsafeBytes(of: inet6.sin6_addr) { bytes in
                    (UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                     UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
                }
                return TransportAddress(ipv6High: high, low: low, port: UInt16(bigEndian: inet6.sin6_port))
            default:
                return nil
            }
        }
    }
}
