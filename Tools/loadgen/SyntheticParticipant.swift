import MediaCore
import NIOCore
import NIOPosix

/// One synthetic participant. Everything mutable is confined to the media
/// event loop (`loop`), which also owns its UDP socket.
final class SyntheticParticipant: @unchecked Sendable {
    enum State { case pending, joining, offered, connecting, connected, failed }

    let index: Int
    let room: Int
    let indexInRoom: Int
    let measuring: Bool
    /// Decrypts and authenticates what it receives (else counts packets from the clear RTP header).
    var verifiesMedia = true
    let loop: EventLoop
    let bindHost: String
    /// Advertised in the offer instead of `bindHost` (e.g. when that is 0.0.0.0).
    let candidateHost: String?

    var state = State.pending
    var failure: String?
    var participantId = ""
    var peer: ClientPeer?
    var channel: Channel?
    var serverSocket: SocketAddress?
    var serverTransport: TransportAddress?
    var startedAt = 0.0
    var connectedAt: Double?
    /// Frames since this participant last sent silence (DTX sends one every `dtxInterval`).
    var framesSinceSilence = Int.max
    var speechPosition: Int
    var stats = ReceiveStats()
    var sent = 0
    /// Latency measurement (measuring listeners only).
    var decoder: OpusAudioDecoder?
    var lastDetectedMarker = -1

    init(index: Int, room: Int, indexInRoom: Int, measuring: Bool, loop: EventLoop,
         bindHost: String = "127.0.0.1", candidateHost: String? = nil) {
        self.bindHost = bindHost
        self.candidateHost = candidateHost
        self.index = index
        self.room = room
        self.indexInRoom = indexInRoom
        self.measuring = measuring
        self.loop = loop
        speechPosition = index * 37
    }

    var isConnected: Bool { state == .connected }

    /// Binds the UDP socket, applies the answer and sends the first ICE check.
    /// Runs on `loop`.
    func connect(answerSdp: String, now: Double, onPacket: @escaping (SyntheticParticipant, RtpPacket, Double) -> Void) -> EventLoopFuture<Void> {
        loop.assertInEventLoop()
        guard let peer else { return loop.makeSucceededFuture(()) }
        do {
            try peer.apply(answerSdp: answerSdp)
            let answer = try AudioOffer(parsing: answerSdp)
            guard let candidate = answer.candidates.first(where: { $0.isUdp })?.transportAddress else {
                throw HttpClient.Failure(description: "answer without a UDP candidate")
            }
            serverTransport = candidate
            serverSocket = try SocketAddress(ipAddress: candidate.ipString, port: Int(candidate.port))
        } catch {
            fail("answer: \(error)")
            return loop.makeSucceededFuture(())
        }
        peer.buffersAudio = false
        peer.decryptsMedia = verifiesMedia
        peer.onRtp = { [unowned self] packet, arrival in onPacket(self, packet, arrival) }
        if measuring { decoder = try? OpusAudioDecoder(channels: 1) }
        state = .connecting
        let bound = channel == nil ? bind().map { _ in } : loop.makeSucceededFuture(())
        return bound.map { self.transmit(peer.start(now: now)) }
            .recover { error in self.fail("udp bind: \(error)") }
    }

    /// Binds the UDP socket; returns the address to offer as our host candidate
    /// (a full-ICE answerer needs it before answering). Runs on `loop`.
    func bind() -> EventLoopFuture<TransportAddress?> {
        DatagramBootstrap(group: loop)
            .channelOption(ChannelOptions.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 2048))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Inbound(participant: self))
                }
            }
            .bind(host: bindHost, port: 0)
            .map { channel in
                self.channel = channel
                guard let port = channel.localAddress?.port, let ip = self.candidateHost ?? channel.localAddress?.ipAddress
                else { return nil }
                return TransportAddress(ip: ip, port: UInt16(truncatingIfNeeded: port))
            }
    }

    func fail(_ reason: String) {
        guard state != .failed else { return }
        state = .failed
        failure = reason
        channel?.close(promise: nil)
    }

    func transmit(_ datagrams: [Transmit]) {
        guard let channel, let serverSocket, !datagrams.isEmpty else { return }
        for datagram in datagrams {
            var buffer = channel.allocator.buffer(capacity: datagram.bytes.count)
            buffer.writeBytes(datagram.bytes)
            // Replies to a check go to its source, which is not always the server's candidate.
            let target = datagram.to == serverTransport ? serverSocket
                : (try? SocketAddress(ipAddress: datagram.to.ipString, port: Int(datagram.to.port))) ?? serverSocket
            channel.write(AddressedEnvelope(remoteAddress: target, data: buffer), promise: nil)
        }
        channel.flush()
    }

    func received(_ bytes: [UInt8], from remote: SocketAddress, now: Double) {
        guard let peer, let serverTransport, state == .connecting || state == .connected else { return }
        // Only STUN needs the real source (a check is answered with it); media skips the conversion.
        let isStun = (bytes.first ?? 0xFF) < 4
        let source = isStun ? remote.ipAddress.flatMap { TransportAddress(ip: $0, port: UInt16(truncatingIfNeeded: remote.port ?? 0)) } : nil
        let replies = peer.receive(bytes, from: source ?? serverTransport, now: now)
        transmit(replies)
        if state == .connecting {
            if peer.isConnected {
                state = .connected
                connectedAt = now
            } else if let failure = peer.failure {
                fail("\(failure)")
            }
        }
    }

    private final class Inbound: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        unowned let participant: SyntheticParticipant

        init(participant: SyntheticParticipant) { self.participant = participant }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            participant.received(Array(envelope.data.readableBytesView), from: envelope.remoteAddress, now: Clock.now())
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) {}
    }
}
