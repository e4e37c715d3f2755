import MediaCore
import NIOCore

/// One synthetic participant. Everything mutable is confined to the media
/// event loop (`loop`), which sends on its UDP socket; `receiver` reads it.
final class SyntheticParticipant: @unchecked Sendable {
    enum State { case pending, joining, offered, connecting, connected, failed }

    let index: Int
    let room: Int
    let indexInRoom: Int
    let measuring: Bool
    /// Decrypts and authenticates what it receives (else counts packets from the clear RTP header).
    var verifiesMedia = true
    let loop: EventLoop
    let receiver: ListenerPoller
    let bindHost: String
    /// Advertised in the offer instead of `bindHost` (e.g. when that is 0.0.0.0).
    let candidateHost: String?

    var state = State.pending
    var failure: String?
    var participantId = ""
    var peer: ClientPeer?
    var socket: UdpSocket?
    /// `serverTransport` as the system calls take it.
    var serverName: SocketName?
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
         receiver: ListenerPoller, bindHost: String = "127.0.0.1", candidateHost: String? = nil) {
        self.bindHost = bindHost
        self.candidateHost = candidateHost
        self.index = index
        self.room = room
        self.indexInRoom = indexInRoom
        self.measuring = measuring
        self.loop = loop
        self.receiver = receiver
        speechPosition = index * 37
    }

    var isConnected: Bool { state == .connected }

    /// Binds the UDP socket, applies the answer and sends the first ICE check.
    /// Runs on `loop`.
    func connect(answerSdp: String, now: Double, onPacket: @escaping (SyntheticParticipant, RtpPacket, Double) -> Void) {
        loop.assertInEventLoop()
        guard let peer else { return }
        do {
            try peer.apply(answerSdp: answerSdp)
            let answer = try AudioOffer(parsing: answerSdp)
            guard let candidate = answer.candidates.first(where: { $0.isUdp })?.transportAddress else {
                throw HttpClient.Failure(description: "answer without a UDP candidate")
            }
            serverTransport = candidate
            serverName = SocketName(candidate)
        } catch {
            fail("answer: \(error)")
            return
        }
        peer.buffersAudio = false
        peer.decryptsMedia = verifiesMedia
        peer.onRtp = { [unowned self] packet, arrival in onPacket(self, packet, arrival) }
        if measuring { decoder = try? OpusAudioDecoder(channels: 1) }
        state = .connecting
        do {
            if socket == nil { _ = try bind() }
        } catch {
            fail("udp bind: \(error)")
            return
        }
        transmit(peer.start(now: now))
    }

    /// Binds the UDP socket and has `receiver` read it; returns the address to offer as
    /// our host candidate (a full-ICE answerer needs it before answering). Runs on `loop`.
    func bind() throws -> TransportAddress {
        loop.assertInEventLoop()
        let bound = try receiver.open(host: bindHost, participant: index)
        socket = bound
        guard let candidateHost else { return bound.localAddress }
        guard let advertised = TransportAddress(ip: candidateHost, port: bound.localAddress.port) else {
            throw HttpClient.Failure(description: "candidate address \(candidateHost) is not an IP address")
        }
        return advertised
    }

    func fail(_ reason: String) {
        guard state != .failed else { return }
        state = .failed
        failure = reason
        closeSocket()
    }

    /// Gives the socket back to `receiver`, which closes it once no read of it is in flight.
    func closeSocket() {
        guard let socket else { return }
        self.socket = nil
        receiver.close(socket)
    }

    /// Sends what the peer produced; returns how many datagrams the kernel took.
    @discardableResult
    func transmit(_ datagrams: [Transmit]) -> Int {
        var sent = 0
        for datagram in datagrams where transmit(datagram) { sent += 1 }
        return sent
    }

    /// Sends one datagram; false when there is no socket or the kernel refused it (e.g.
    /// a full send buffer): it is dropped, as the network would.
    func transmit(_ datagram: Transmit) -> Bool {
        guard let socket, let serverName, let serverTransport else { return false }
        // Replies to a check go to its source, which is not always the server's candidate.
        return socket.send(datagram.bytes, to: datagram.to == serverTransport ? serverName : SocketName(datagram.to))
    }

    /// One datagram the receive thread read from this participant's socket (on `loop`).
    func received(_ bytes: [UInt8], from source: TransportAddress, now: Double) {
        guard let peer, let serverTransport, state == .connecting || state == .connected else { return }
        // Only STUN needs the real source (a check is answered to it); media is the server's.
        let isStun = (bytes.first ?? 0xFF) < 4
        let replies = peer.receive(bytes, from: isStun ? source : serverTransport, now: now)
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
}
