// recvmmsg and the CMSG macros are not in Swift's Glibc module: CShim wraps them.
import CShim
import Foundation
import MediaCore

/// One UDP socket for every participant (`--one-port`), each with an address of its
/// own on it: 127.1.0.1, 127.1.0.2, … at one port, since all of 127/8 is local.
/// Datagrams go out with their participant's source address (IP_PKTINFO) and come
/// in with their destination address, which says whose they are.
///
/// Why: on loopback, the receive side of every datagram runs inside the sender's
/// sendmmsg and is charged to the server: the socket lookup, the enqueue, and the
/// wake-up of whoever waits on the socket. With a socket and an epoll entry per
/// listener that was ~30 % of mediad's core at 750 town-hall listeners (the
/// wake-ups alone 14 %): work that listeners on their own machines do on their
/// own CPUs. One socket keeps that lookup and enqueue cache-hot, and its reader
/// never waits on it: it reads with recvmmsg until the socket is empty, then
/// sleeps `pollInterval` on a timer, so no sender ever has a reader to wake. (A
/// reader blocked on the socket is faster than the server's burst, so it slept
/// and was woken again per datagram: 10 % of mediad's core in the wake-up.)
/// Arrival times are the kernel's receive stamps (`KernelArrival`), not the read's.
final class SharedPort: @unchecked Sendable {
    /// Datagrams taken per recvmmsg.
    static let batch = 64
    static let datagramCapacity = ListenerPoller.datagramCapacity
    /// Room for the IP_PKTINFO and SCM_TIMESTAMPNS control messages.
    static let controlCapacity = KernelArrival.controlCapacity
    /// A large queue: 1,500 listeners get 75,000 datagrams a second.
    static let receiveBufferBytes: CInt = 8 << 20
    /// The reader's sleep once the socket is empty.
    static let pollInterval = timespec(tv_sec: 0, tv_nsec: 500_000)

    let descriptor: CInt
    let port: UInt16
    private let lock = NSLock()
    private var handedOut: UInt32 = 0  // guarded by `lock`

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw UdpSocket.Failure.call("socket") }
        do {
            var on: CInt = 1, buffer = Self.receiveBufferBytes
            guard setsockopt(descriptor, CInt(IPPROTO_IP), IP_PKTINFO, &on, socklen_t(MemoryLayout<CInt>.size)) == 0 else {
                throw UdpSocket.Failure.call("setsockopt IP_PKTINFO")
            }
            try KernelArrival.enable(on: descriptor)
            // Capped at net.core.rmem_max (the benchmarks raise it); not fatal when smaller.
            _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &buffer, socklen_t(MemoryLayout<CInt>.size))
            let any = SocketName(TransportAddress(ipv4: 0, port: 0))
            guard any.withSockaddr({ Glibc.bind(descriptor, $0, $1) }) == 0 else { throw UdpSocket.Failure.call("bind 0.0.0.0") }
            var bound = SocketName()
            guard bound.fill({ getsockname(descriptor, $0, $1) }) == 0, let local = bound.transportAddress else {
                throw UdpSocket.Failure.call("getsockname")
            }
            self.descriptor = descriptor
            port = local.port
        } catch {
            Glibc.close(descriptor)
            throw error
        }
    }

    /// The next participant's socket: a fresh loopback address on the shared port.
    func open() throws -> UdpSocket {
        let number = lock.withLock { () -> UInt32 in
            defer { handedOut += 1 }
            return handedOut
        }
        // 127.1.0.1 on, skipping .0 and .255 in the last byte.
        let host = 0x7F01_0000 + (number / 254) << 8 + number % 254 + 1
        guard host < 0x8000_0000 else { throw UdpSocket.Failure(description: "no loopback address left") }
        return UdpSocket(descriptor: descriptor, localAddress: TransportAddress(ipv4: host, port: port), sharedSource: host)
    }

    /// Reads what is queued, up to `batch` datagrams, into `buffers` without waiting;
    /// `each` gets every one's bytes, source, destination IPv4 address and kernel
    /// receive stamp (`KernelArrival`). Returns how many were read: fewer than `batch`
    /// means the socket is empty.
    @discardableResult
    func read(_ buffers: ReadBuffers, _ each: (UnsafeRawBufferPointer, TransportAddress, UInt32, Double?) -> Void) -> Int {
        buffers.reset()
        let count = Int(parley_recvmmsg_headers(descriptor, buffers.messages, CUnsignedInt(Self.batch)))
        guard count > 0 else { return 0 }  // EAGAIN: empty
        for index in 0..<Int(count) {
            var message = buffers.messages[index].msg_hdr
            var name = SocketName()
            name.storage = buffers.names[index]
            guard let source = name.transportAddress,
                  let destination = Self.destination(&message) else { continue }
            each(UnsafeRawBufferPointer(start: buffers.payloads + index * Self.datagramCapacity,
                                        count: min(Int(buffers.messages[index].msg_len), Self.datagramCapacity)),
                 source, destination, KernelArrival.stamp(of: &message))
        }
        return count
    }

    /// The destination address of a received datagram, from its IP_PKTINFO message.
    private static func destination(_ message: inout msghdr) -> UInt32? {
        guard let data = controlData(of: &message, level: CInt(IPPROTO_IP), type: IP_PKTINFO) else { return nil }
        return UInt32(bigEndian: data.loadUnaligned(as: in_pktinfo.self).ipi_addr.s_addr)
    }

    func close() {
        Glibc.close(descriptor)
    }

    /// recvmmsg's vectors, allocated once for the receive thread.
    final class ReadBuffers {
        let messages = UnsafeMutablePointer<parley_mmsghdr>.allocate(capacity: SharedPort.batch)
        let names = UnsafeMutablePointer<sockaddr_storage>.allocate(capacity: SharedPort.batch)
        let vectors = UnsafeMutablePointer<iovec>.allocate(capacity: SharedPort.batch)
        let payloads = UnsafeMutableRawPointer.allocate(byteCount: SharedPort.batch * SharedPort.datagramCapacity, alignment: 16)
        let controls = UnsafeMutableRawPointer.allocate(byteCount: SharedPort.batch * SharedPort.controlCapacity, alignment: 16)

        init() {
            names.initialize(repeating: sockaddr_storage(), count: SharedPort.batch)
        }

        /// Points every message at its buffers again (recvmmsg rewrites the lengths).
        func reset() {
            for index in 0..<SharedPort.batch {
                vectors[index] = iovec(iov_base: payloads + index * SharedPort.datagramCapacity, iov_len: SharedPort.datagramCapacity)
                var header = msghdr()
                header.msg_name = UnsafeMutableRawPointer(names + index)
                header.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
                header.msg_iov = vectors + index
                header.msg_iovlen = 1
                header.msg_control = controls + index * SharedPort.controlCapacity
                header.msg_controllen = SharedPort.controlCapacity
                messages[index] = parley_mmsghdr(msg_hdr: header, msg_len: 0)
            }
        }

        deinit {
            messages.deallocate()
            names.deinitialize(count: SharedPort.batch)
            names.deallocate()
            vectors.deallocate()
            payloads.deallocate()
            controls.deallocate()
        }
    }
}
