#if canImport(Glibc)
import Glibc
#endif
import Logging
import MediaCore
import NIOCore
import CShim
import NIOPosix
import ServiceKit

/// The one UDP socket of this mediad. NIO reads it: every datagram goes to the
/// engine on the socket's event loop. Each engine sends through its own
/// `DatagramBatch` on a duplicate of the descriptor, from its own thread.
final class UdpDriver: @unchecked Sendable {
    let channel: Channel
    let port: Int
    /// Kept open until the driver goes away, so a send racing shutdown can never
    /// reach a descriptor number the process has reused for something else.
    private let sendDescriptor: CInt

    private let receive: (ByteBuffer, SocketAddress) -> Void
    private let readComplete: () -> Void
    /// `readPending`'s datagram buffer, reused (only ever touched on the socket's loop).
    private var pendingBuffer = ByteBufferAllocator().buffer(capacity: UdpDriver.datagramBytes)
    private let pendingReads = PendingReads()
    static let datagramBytes = 2048

    private init(channel: Channel, port: Int, sendDescriptor: CInt,
                 receive: @escaping (ByteBuffer, SocketAddress) -> Void, readComplete: @escaping () -> Void) {
        self.channel = channel
        self.port = port
        self.sendDescriptor = sendDescriptor
        self.receive = receive
        self.readComplete = readComplete
    }

    deinit { _ = Glibc.close(sendDescriptor) }

    /// A batch for one mixing thread (used from that thread only).
    func makeBatch() -> DatagramBatch { DatagramBatch(socket: sendDescriptor) }

    var eventLoop: EventLoop { channel.eventLoop }
    static let datagramsPerRead = 32

    /// Binds the first free port of the range.
    /// `receive` sees each datagram; `readComplete` runs after each burst of reads.
    static func bind(_ address: ListenAddress, group: EventLoopGroup, receive: @escaping (ByteBuffer, SocketAddress) -> Void,
                     readComplete: @escaping () -> Void = {}) async throws -> UdpDriver {
        var lastError: Error = MediaServerError.noFreePort(address.description)
        for port in address.ports {
            do {
                let descriptor = try boundSocket(host: address.host, port: port)
                let sendDescriptor = dup(descriptor)
                guard sendDescriptor >= 0 else {
                    _ = Glibc.close(descriptor)
                    throw MediaServerError.noFreePort(address.description)
                }
                let bootstrap = DatagramBootstrap(group: group)
                    // recvmmsg: up to 32 datagrams per syscall (NIO splits the buffer between them).
                    .channelOption(ChannelOptions.datagramVectorReadMessageCount, value: Self.datagramsPerRead)
                    .channelOption(ChannelOptions.recvAllocator,
                                   value: FixedSizeRecvByteBufferAllocator(capacity: Self.datagramsPerRead * Self.datagramBytes))
                    .channelOption(ChannelOptions.maxMessagesPerRead, value: 8)
                    .channelOption(ChannelOptions.socketOption(.so_rcvbuf), value: 4 << 20)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(InboundHandler(receive: receive, readComplete: readComplete))
                        }
                    }
                do {
                    let channel = try await bootstrap.withBoundSocket(descriptor).get()
                    return UdpDriver(channel: channel, port: channel.localAddress?.port ?? port, sendDescriptor: sendDescriptor,
                                     receive: receive, readComplete: readComplete)
                } catch {
                    _ = Glibc.close(sendDescriptor)
                    throw error
                }
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// A non-blocking UDP socket bound to `host:port` (NIO takes it over; we keep a dup to send).
    private static func boundSocket(host: String, port: Int) throws -> CInt {
        let address = try SocketAddress.makeAddressResolvingHost(host, port: port)
        let family = address.protocol.rawValue
        let descriptor = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw MediaServerError.noFreePort("\(host):\(port)") }
        let bound = address.withSockAddr { pointer, length in Glibc.bind(descriptor, pointer, socklen_t(length)) }
        guard bound == 0 else {
            _ = Glibc.close(descriptor)
            throw MediaServerError.noFreePort("\(host):\(port)")
        }
        // Sends that find the buffer full are dropped (see DatagramBatch): room for a
        // big room's burst. Past net.core.wmem_max only with CAP_NET_ADMIN (FORCE).
        var size: CInt = 4 << 20
        let length = socklen_t(MemoryLayout<CInt>.size)
        if setsockopt(descriptor, SOL_SOCKET, SO_SNDBUFFORCE, &size, length) != 0 {
            _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDBUF, &size, length)
        }
        // Don't fragment (as WebRTC peers send): our datagrams are far under any path's
        // MTU, and an IPv4 datagram that may be fragmented needs an IP ID, which Linux
        // draws from a keyed hash per datagram (~3 % of a town hall's sending).
        if family == AF_INET {
            var discover = CInt(IP_PMTUDISC_DO)
            _ = setsockopt(descriptor, CInt(IPPROTO_IP), IP_MTU_DISCOVER, &discover, length)
        }
        return descriptor
    }

    /// Reads up to `limit` datagrams already waiting on the socket, without waiting,
    /// and hands them on as the channel does. For long work on the socket's own loop
    /// that splits itself into tasks to let reads in: NIO runs a task queued by a task
    /// before it polls the socket again, so such work would read nothing until it is
    /// all done, and every datagram meanwhile would be timed late. Returns the count.
    @discardableResult
    func readPending(limit: Int) -> Int {
        guard channel.eventLoop.inEventLoop else { return 0 }
        var count = 0
        while count < limit {
            let asked = min(Int(PARLEY_RECVMMSG_MAX), limit - count)
            let received = Int(parley_recvmmsg(sendDescriptor, pendingReads.buffers, Self.datagramBytes,
                                               pendingReads.lengths, pendingReads.names, UInt32(asked)))
            guard received > 0 else { break }
            for index in 0..<received {
                count += 1
                guard let address = Self.socketAddress(pendingReads.name(index).pointee) else { continue }
                pendingBuffer.clear()
                pendingBuffer.writeBytes(UnsafeRawBufferPointer(start: pendingReads.buffers[index],
                                                                count: min(pendingReads.lengths[index], Self.datagramBytes)))
                receive(pendingBuffer, address)
            }
            if received < asked { break }
        }
        if count > 0 { readComplete() }
        return count
    }

    private static func socketAddress(_ storage: sockaddr_storage) -> SocketAddress? {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            let inet = withUnsafeBytes(of: &storage) { $0.loadUnaligned(as: sockaddr_in.self) }
            return SocketAddress(inet, host: "")
        case AF_INET6:
            let inet6 = withUnsafeBytes(of: &storage) { $0.loadUnaligned(as: sockaddr_in6.self) }
            return SocketAddress(inet6, host: "")
        default:
            return nil
        }
    }

    func close() async {
        try? await channel.close()
    }

    private final class InboundHandler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let receive: (ByteBuffer, SocketAddress) -> Void
        let readComplete: () -> Void

        init(receive: @escaping (ByteBuffer, SocketAddress) -> Void, readComplete: @escaping () -> Void) {
            self.receive = receive
            self.readComplete = readComplete
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            receive(envelope.data, envelope.remoteAddress)
        }

        func channelReadComplete(context: ChannelHandlerContext) {
            readComplete()
            context.flush()
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) {
            // ICMP errors (e.g. port unreachable from a departed peer) must not close the socket.
        }
    }
}

/// recvmmsg's buffers for `UdpDriver.readPending`, allocated once.
private final class PendingReads {
    let buffers = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: Int(PARLEY_RECVMMSG_MAX))
    let names = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: Int(PARLEY_RECVMMSG_MAX))
    let lengths = UnsafeMutablePointer<Int>.allocate(capacity: Int(PARLEY_RECVMMSG_MAX))
    private let data = UnsafeMutableRawPointer.allocate(byteCount: Int(PARLEY_RECVMMSG_MAX) * UdpDriver.datagramBytes, alignment: 16)
    private let addresses = UnsafeMutablePointer<sockaddr_storage>.allocate(capacity: Int(PARLEY_RECVMMSG_MAX))

    init() {
        for index in 0..<Int(PARLEY_RECVMMSG_MAX) {
            buffers[index] = data + index * UdpDriver.datagramBytes
            names[index] = UnsafeMutableRawPointer(addresses + index)
        }
    }

    func name(_ index: Int) -> UnsafeMutablePointer<sockaddr_storage> { addresses + index }

    deinit {
        buffers.deallocate()
        names.deallocate()
        lengths.deallocate()
        data.deallocate()
        addresses.deallocate()
    }
}
