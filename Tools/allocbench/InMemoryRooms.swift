import MediaCore

/// Rooms of client peers and server sessions wired to each other in memory: the
/// server side is exactly mediad's sans-IO core (ServerSession + MixingRoom), with
/// no sockets, so what is counted is MediaCore's own work.
final class InMemoryRooms {
    struct Client {
        let peer: ClientPeer
        let address: TransportAddress
        let session: ServerSession
        let talks: Bool
    }

    let serverAddress = TransportAddress(ip: "10.0.0.1", port: 40000)!
    private(set) var rooms: [MixingRoom] = []
    private(set) var clients: [Client] = []
    private var clientIndex: [TransportAddress: Int] = [:]
    private(set) var now = 0.0

    init(rooms roomCount: Int, participantsPerRoom: Int, talkers: Int, encoderOptions: OpusEncoderOptions = OpusEncoderOptions()) throws {
        let serverCertificate = try DtlsCertificate()
        let clientCertificate = try DtlsCertificate()
        for roomIndex in 0..<roomCount {
            let room = try MixingRoom(id: "room-\(roomIndex)", encoderOptions: encoderOptions)
            for member in 0..<participantsPerRoom {
                let index = clients.count
                let peer = ClientPeer(certificate: clientCertificate)
                peer.buffersAudio = false
                let session = try ServerSession(participantId: "p\(index)", offer: try AudioOffer(parsing: peer.offerSdp),
                                                certificate: serverCertificate, candidates: [serverAddress], now: now)
                try room.add(session)
                try peer.apply(answerSdp: session.answerSdp)
                let address = TransportAddress(ipBytes: [10, 1, UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF)],
                                               port: UInt16(5000 + index % 60000))!
                clients.append(Client(peer: peer, address: address, session: session, talks: member < talkers))
                clientIndex[address] = index
            }
            rooms.append(room)
        }
    }

    /// ICE, DTLS and SRTP for everyone, in simulated time.
    func connectAll() throws {
        var toServer: [(Int, Transmit)] = []
        for (index, client) in clients.enumerated() {
            toServer += client.peer.start(now: now).map { (index, $0) }
        }
        var rounds = 0
        while !clients.allSatisfy({ $0.peer.isConnected && $0.session.isConnected }) {
            rounds += 1
            guard rounds < 2_000 else { throw BenchError.handshakeDidNotFinish }
            now += 0.01
            var toClients: [Transmit] = []
            for (index, transmit) in toServer {
                toClients += clients[index].session.receive(transmit.bytes, from: clients[index].address, now: now)
            }
            toServer = []
            for client in clients {
                toClients += client.session.handleTimeout(now: now)
            }
            for transmit in toClients {
                guard let index = clientIndex[transmit.to] else { continue }
                toServer += clients[index].peer.receive(transmit.bytes, from: serverAddress, now: now).map { (index, $0) }
            }
            for (index, client) in clients.enumerated() {
                toServer += client.peer.handleTimeout(now: now).map { (index, $0) }
            }
        }
    }

    /// Advances the clock by one 20 ms frame.
    func advanceFrame() {
        now += 0.02
    }

    /// Hands a client's datagram to its server session.
    func deliverToServer(_ transmit: Transmit, from index: Int) -> [Transmit] {
        clients[index].session.receive(transmit.bytes, from: clients[index].address, now: now)
    }

    /// Hands the server's datagrams to their clients; returns what the clients answer (ICE consent, etc.).
    func deliverToClients(_ transmits: [Transmit]) -> [(Int, Transmit)] {
        var answers: [(Int, Transmit)] = []
        for transmit in transmits {
            guard let index = clientIndex[transmit.to] else { continue }
            answers += clients[index].peer.receive(transmit.bytes, from: serverAddress, now: now).map { (index, $0) }
        }
        return answers
    }
}

enum BenchError: Error {
    case handshakeDidNotFinish
}
