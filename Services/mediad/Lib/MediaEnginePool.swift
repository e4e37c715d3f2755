import Logging
import MediaCore
import NIOCore
import NIOPosix
import Wire

/// The mixing threads of this mediad (`MEDIAD_THREADS`): rooms are spread over
/// them, and the one UDP socket's reader hands each datagram to its room's engine.
final class MediaEnginePool: @unchecked Sendable {
    let engines: [MediaEngine]
    private let directory: EngineDirectory

    init(engines: [MediaEngine], directory: EngineDirectory) {
        self.engines = engines
        self.directory = directory
        pending = Array(repeating: [], count: engines.count)
    }

    /// Reused for every datagram handed to an engine on the socket's own loop.
    private var datagram: [UInt8] = []
    /// Datagrams for engines on other threads, handed over once per burst of reads
    /// (one task and one wake-up per engine, not one per datagram).
    private var pending: [[(bytes: [UInt8], source: TransportAddress)]]

    /// On the UDP socket's loop: route by source address or STUN ufrag, then hop.
    /// With one engine there is nothing to route: it drops what no session claims.
    func receive(_ buffer: ByteBuffer, from socketAddress: SocketAddress) {
        MediaMetrics.packetsIn.increment()
        guard let source = TransportAddress(socketAddress) else { return MediaMetrics.dropped("bad_source").increment() }
        let index: Int
        if engines.count == 1 {
            index = 0
        } else {
            guard let routed = directory.engine(for: source, ufrag: { MediaEngine.stunUfrag(Array(buffer.readableBytesView)) }) else {
                return MediaMetrics.dropped("unknown_session").increment()
            }
            index = routed
        }
        let engine = engines[index]
        if engine.loop.inEventLoop {
            datagram.removeAll(keepingCapacity: true)
            datagram.append(contentsOf: buffer.readableBytesView)
            engine.receive(datagram, from: source)
        } else {
            pending[index].append((Array(buffer.readableBytesView), source))
        }
    }

    /// After a burst of reads (on the socket's loop): each engine gets its share in one hop.
    func handOver() {
        for index in pending.indices where !pending[index].isEmpty {
            let batch = pending[index]
            pending[index].removeAll(keepingCapacity: true)
            let engine = engines[index]
            engine.loop.execute {
                for datagram in batch { engine.receive(datagram.bytes, from: datagram.source) }
            }
        }
    }

    func startClocks() {
        engines.forEach { $0.startClock() }
    }

    func createSession(_ request: CreateMediaSession, owner: WireConnection?) async throws -> MediaSessionAnswer {
        try await engines[directory.engine(forRoom: request.roomId)].createSession(request, owner: owner)
    }

    func setMuted(_ request: SetSessionMuted) async throws {
        try await engine(for: request.participantId).setMuted(request)
    }

    func addCandidate(_ request: AddRemoteCandidate) async throws {
        try await engine(for: request.participantId).addCandidate(request)
    }

    func closeSession(_ request: CloseMediaSession) async {
        guard let index = directory.engine(forParticipant: request.participantId) else { return }
        await engines[index].closeSession(request)
    }

    func load() async -> MediaServerLoad {
        var total = MediaServerLoad()
        for engine in engines {
            let load = await engine.load()
            total.rooms += load.rooms
            total.participants += load.participants
            total.tickCpuPercent += load.tickCpuPercent / Double(engines.count)
        }
        return total
    }

    func shutdown() async {
        for engine in engines { await engine.shutdown() }
    }

    private func engine(for participantId: String) throws -> MediaEngine {
        guard let index = directory.engine(forParticipant: participantId) else { throw MediaServerError.unknownSession }
        return engines[index]
    }
}
