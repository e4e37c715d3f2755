import MediaCore

/// One 20 ms frame at a time: every client sends (talkers speech at level 30, the
/// rest silence at level 127), the server receives, each room ticks, the clients
/// take the mix. Only the server's calls are counted and timed.
struct FrameDriver {
    let call: InMemoryRooms
    let frames: SpeechFrames
    /// Silent clients send a silence frame every this many frames (20: DTX, 1: every frame).
    var silenceInterval = 20
    private var frameIndex = 0
    private var pendingToServer: [(Int, Transmit)] = []
    /// The rooms' packets, built where a server's send buffer would hold them.
    private let mixed = DatagramList()
    private(set) var receive = AllocationCounter()
    private(set) var tick = AllocationCounter()
    private(set) var other = AllocationCounter()
    private(set) var mediaReceived = 0
    private(set) var mediaSent = 0
    private(set) var serverSeconds = 0.0

    init(call: InMemoryRooms, frames: SpeechFrames) {
        self.call = call
        self.frames = frames
    }

    mutating func resetTimers() {
        serverSeconds = 0
    }

    mutating func step(counting: Bool) {
        call.advanceFrame()
        frameIndex += 1
        var toServer = pendingToServer
        pendingToServer = []
        for (index, client) in call.clients.enumerated() {
            if !client.talks && (frameIndex + index) % silenceInterval != 0 {
                client.peer.skipFrame()
            } else if let transmit = client.peer.send(opus: client.talks ? frames.speech[frameIndex % frames.speech.count] : frames.silence,
                                                      level: client.talks ? 30 : 127) {
                toServer.append((index, transmit))
            }
            toServer += client.peer.handleTimeout(now: call.now).map { (index, $0) }
        }
        var toClients: [Transmit] = []
        let started = ThreadCpuClock.now()
        for (index, transmit) in toServer {
            let isMedia = PacketDemux.classify(transmit.bytes) == .rtp
            if counting && isMedia {
                toClients += receive.measure { call.deliverToServer(transmit, from: index) }
                mediaReceived += 1
            } else if counting {
                toClients += other.measure { call.deliverToServer(transmit, from: index) }
            } else {
                toClients += call.deliverToServer(transmit, from: index)
            }
        }
        for room in call.rooms {
            mixed.removeAll()
            if counting { tick.measure { room.tick(now: call.now, into: mixed) } } else { room.tick(now: call.now, into: mixed) }
            if counting { mediaSent += mixed.count }
            toClients += mixed.transmits
        }
        for client in call.clients {
            toClients += counting ? other.measure { client.session.handleTimeout(now: call.now) }
                                  : client.session.handleTimeout(now: call.now)
        }
        serverSeconds += ThreadCpuClock.now() - started
        pendingToServer = call.deliverToClients(toClients)
    }

    struct Report {
        let text: String
        /// Allocations per packet outside the SRTP layer (the rest of Parley).
        let ownReceiveAllocations: Double
        let ownSendAllocations: Double
    }

    func report(participants: Int, frames: Int, serverCpuSeconds: Double, srtpUnprotect: Double, srtpProtect: Double) -> Report {
        let perReceived = receive.perCall(mediaReceived)
        let perTick = tick.perCall()
        let perSent = Double(tick.allocations) / Double(max(1, mediaSent))
        let ownReceive = max(0, perReceived - srtpUnprotect)
        let ownSend = max(0, perSent - srtpProtect)
        let microsPerParticipantFrame = serverCpuSeconds * 1e6 / Double(participants * frames)
        let text = """
        | measure | value |
        |---|---|
        | RTP packets received (measured) | \(mediaReceived) |
        | allocations per received RTP packet: all / inside the SRTP layer (GCM) / Parley's own | \(format(perReceived)) / \(format(srtpUnprotect)) / \(format(ownReceive)) |
        | bytes allocated per received RTP packet | \(format(Double(receive.bytes) / Double(max(1, mediaReceived)))) |
        | mixer ticks (measured, per room) | \(tick.calls) |
        | allocations per room tick (select, decode, mix, encode, packetize, SRTP) | \(format(perTick)) |
        | packets sent per room tick | \(format(Double(mediaSent) / Double(max(1, tick.calls)))) |
        | allocations per sent packet: all / inside the SRTP layer / Parley's own | \(format(perSent)) / \(format(srtpProtect)) / \(format(ownSend)) |
        | allocations in timers and ICE consent (whole run) | \(other.allocations) |
        | server CPU µs per participant per 20 ms frame (sans-IO core, no sockets) | \(format(microsPerParticipantFrame)) |
        """
        return Report(text: text, ownReceiveAllocations: ownReceive, ownSendAllocations: ownSend)
    }

    private func format(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String(Double(Int(value * 100)) / 100)
    }
}
