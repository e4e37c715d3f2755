import Logging
import MediaCore
import NIOCore
import NIOPosix
import ServiceKit

/// The one UDP socket of this mediad. Every datagram goes to the engine on the
/// socket's event loop; the engine answers through `send`.
final class UdpDriver: @unchecked Sendable {
    let channel: Channel
    let port: Int

    private init(channel: Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    var eventLoop: EventLoop { channel.eventLoop }
    static let datagramsPerRead = 32

    /// Binds the first free port of the range.
    /// `receive` sees each datagram; `readComplete` runs after each burst of reads.
    static func bind(_ address: ListenAddress, group: EventLoopGroup, receive: @escaping (ByteBuffer, SocketAddress) -> Void,
                     readComplete: @escaping () -> Void = {}) async throws -> UdpDriver {
        var lastError: Error = MediaServerError.noFreePort(address.description)
        for port in address.ports {
            do {
                let channel = try await DatagramBootstrap(group: group)
                    .channelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 0)
                    // recvmmsg: up to 32 datagrams per syscall (NIO splits the buffer between them).
                    .channelOption(ChannelOptions.datagramVectorReadMessageCount, value: Self.datagramsPerRead)
                    .channelOption(ChannelOptions.recvAllocator,
                                   value: FixedSizeRecvByteBufferAllocator(capacity: Self.datagramsPerRead * 2048))
                    .channelOption(ChannelOptions.maxMessagesPerRead, value: 8)
                    .channelOption(ChannelOptions.socketOption(.so_rcvbuf), value: 4 << 20)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(InboundHandler(receive: receive, readComplete: readComplete))
                        }
                    }
                    .bind(host: address.host, port: port)
                    .get()
                return UdpDriver(channel: channel, port: channel.localAddress?.port ?? port)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// Writes a batch and flushes; from another event loop it hops once per batch.
    func send(_ batch: [(bytes: [UInt8], to: SocketAddress)]) {
        guard !batch.isEmpty else { return }
        if channel.eventLoop.inEventLoop {
            write(batch)
        } else {
            channel.eventLoop.execute { self.write(batch) }
        }
    }

    /// The whole batch goes into one buffer and each datagram is a slice of it: one
    /// allocation per batch instead of one per datagram.
    private func write(_ batch: [(bytes: [UInt8], to: SocketAddress)]) {
        var buffer = channel.allocator.buffer(capacity: batch.reduce(0) { $0 + $1.bytes.count })
        for item in batch { buffer.writeBytes(item.bytes) }
        var offset = buffer.readerIndex
        for (bytes, address) in batch {
            if let datagram = buffer.getSlice(at: offset, length: bytes.count) {
                channel.write(AddressedEnvelope(remoteAddress: address, data: datagram), promise: nil)
            }
            offset += bytes.count
        }
        channel.flush()
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
