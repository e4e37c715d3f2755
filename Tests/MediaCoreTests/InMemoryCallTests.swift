import XCTest
@testable import MediaCore

/// A whole call in one process with no sockets: three client peers and one server
/// room, ICE → DTLS → SRTP → Opus, time advanced by the test (faster than real time).
final class InMemoryCallTests: XCTestCase {
    struct InFlight {
        var deliverAt: Double
        var transmit: Transmit
        var from: TransportAddress
    }

    /// A lossy, reordering network between the peers and the server.
    struct Network {
        var queue: [InFlight] = []
        var lossRate = 0.0
        var maxExtraDelay = 0.0
        var generator = SeededGenerator(seed: 42)

        mutating func send(_ transmits: [Transmit], from: TransportAddress, now: Double, media: Bool) {
            for transmit in transmits {
                // Loss and reordering hit media only; the handshake has its own retransmissions tested elsewhere.
                if media && Double.random(in: 0..<1, using: &generator) < lossRate { continue }
                let delay = 0.005 + (media ? Double.random(in: 0...maxExtraDelay, using: &generator) : 0)
                queue.append(InFlight(deliverAt: now + delay, transmit: transmit, from: from))
            }
        }

        mutating func due(_ now: Double) -> [InFlight] {
            let ready = queue.filter { $0.deliverAt <= now }.sorted { $0.deliverAt < $1.deliverAt }
            queue.removeAll { $0.deliverAt <= now }
            return ready
        }
    }

    let serverAddress = TransportAddress(ip: "10.0.0.1", port: 40000)!
    let tones = [440.0, 550.0, 660.0]

    /// Runs a call; `tones[i]` nil makes peer i a silent listener, `levels[i]` is the
    /// RFC 6464 level it sends (lower is louder).
    func runCall(lossRate: Double, maxExtraDelay: Double, tones: [Double?]? = nil, levels: [UInt8]? = nil,
                 maxSpeakers: Int = 3, defersSrtp: Bool = false,
                 fanOutSlice: Int = MixingRoom.defaultFanOutSlice, continuesFanOut: Bool = true,
                 levelAt: ((_ peer: Int, _ now: Double) -> UInt8?)? = nil,
                 afterTick: ((MixingRoom, Double) -> Void)? = nil) throws -> [[Int16]] {
        let tones = tones ?? self.tones.map { Optional($0) }
        let levels = levels ?? Array(repeating: 30, count: tones.count)
        let certificate = DtlsCertificate.shared
        let room = try MixingRoom(id: "room", maxSpeakers: maxSpeakers, fanOutSlice: fanOutSlice)
        var network = Network()
        network.lossRate = lossRate
        network.maxExtraDelay = maxExtraDelay
        var clients: [(peer: ClientPeer, address: TransportAddress, encoder: OpusAudioEncoder)] = []
        var sessions: [String: ServerSession] = [:]
        var now = 0.0
        for index in 0..<tones.count {
            let peer = ClientPeer(certificate: try DtlsCertificate())
            let session = try ServerSession(participantId: "p\(index)", offer: try AudioOffer(parsing: peer.offerSdp),
                                            certificate: certificate, candidates: [serverAddress], now: now,
                                            defersSrtpSetup: defersSrtp)
            try room.add(session)
            try peer.apply(answerSdp: session.answerSdp)
            let address = TransportAddress(ip: "10.0.0.\(index + 2)", port: UInt16(5000 + index))!
            clients.append((peer, address, try OpusAudioEncoder()))
            sessions["p\(index)"] = session
            network.send(peer.start(now: now), from: address, now: now, media: false)
        }
        var pendingSrtp: [(ServerSession, SrtpKeyMaterial)] = []
        var received: [[Int16]] = Array(repeating: [], count: tones.count)
        var phase = Array(repeating: 0.0, count: tones.count)
        let duration = 4.0
        var nextFrame = 0.0
        while now < duration {
            now += 0.005
            for delivery in network.due(now) {
                if delivery.transmit.to == serverAddress {
                    guard let session = sessions.values.first(where: { $0.remoteAddress == delivery.from })
                        ?? sessions.values.first(where: { self.isStunFor($0, delivery.transmit.bytes) }) else { continue }
                    network.send(session.receive(delivery.transmit.bytes, from: delivery.from, now: now), from: serverAddress, now: now, media: false)
                    // As mediad does, but a tick later: the contexts come from "another thread".
                    if let keys = session.takeSrtpKeys() { pendingSrtp.append((session, keys)) }
                } else if let client = clients.first(where: { $0.address == delivery.transmit.to }) {
                    network.send(client.peer.receive(delivery.transmit.bytes, from: delivery.from, now: now), from: client.address, now: now, media: false)
                }
            }
            for client in clients {
                network.send(client.peer.handleTimeout(now: now), from: client.address, now: now, media: false)
            }
            for session in sessions.values {
                network.send(session.handleTimeout(now: now), from: serverAddress, now: now, media: false)
            }
            for (session, keys) in pendingSrtp { session.installSrtp(Result { try SrtpPair(keys: keys) }) }
            pendingSrtp = []
            // As mediad does: the rest of a big room's packets a slice per turn of the loop.
            if continuesFanOut && room.hasPendingFanOut {
                network.send(room.continueFanOut(), from: serverAddress, now: now, media: true)
            }
            guard now >= nextFrame else { continue }
            nextFrame += 0.02
            for (index, client) in clients.enumerated() {
                let tone = tones[index] ?? 0
                let pcm = (0..<960).map { i -> Int16 in
                    tones[index] == nil ? 0 : Int16(8000 * sin(phase[index] + 2 * .pi * tone * Double(i) / 48000))
                }
                phase[index] += 2 * .pi * tone * 960 / 48000
                let level: UInt8 = levelAt?(index, now) ?? (tones[index] == nil ? 127 : levels[index])
                if let transmit = client.peer.send(opus: try client.encoder.encode(pcm: pcm), level: level) {
                    network.send([transmit], from: client.address, now: now, media: true)
                }
                if let frame = client.peer.nextAudioFrame(now: now) { received[index] += frame }
            }
            network.send(room.tick(now: now), from: serverAddress, now: now, media: true)
            afterTick?(room, now)
        }
        for client in clients { XCTAssertTrue(client.peer.isConnected) }
        return received
    }

    /// Routes a first STUN check by the ufrag in its USERNAME, as mediad does.
    private func isStunFor(_ session: ServerSession, _ bytes: [UInt8]) -> Bool {
        guard let message = try? StunMessage(parsing: bytes), let username = message.attribute(StunUsername.self)?.value else { return false }
        return username.hasPrefix(session.localUfrag + ":")
    }

    func assertEachHearsTheOthers(_ received: [[Int16]], file: StaticString = #filePath, line: UInt = #line) {
        for (index, samples) in received.enumerated() {
            XCTAssertGreaterThan(samples.count, 48000 * 2, "peer \(index) received too little audio", file: file, line: line)
            let window = Array(samples.suffix(48000 * 2))
            let own = Goertzel.level(window, frequency: tones[index])
            for (other, tone) in tones.enumerated() where other != index {
                let heard = Goertzel.level(window, frequency: tone)
                print("peer \(index) hears \(tone) Hz at \(heard) dB; own \(tones[index]) Hz at \(own) dB")
                XCTAssertGreaterThan(heard, own + 20, "peer \(index): \(tone) Hz at \(heard) dB vs own \(own) dB", file: file, line: line)
                XCTAssertGreaterThan(heard, -40, "peer \(index) barely hears \(tone) Hz", file: file, line: line)
            }
        }
    }

    func testThreePeersHearEachOtherButNotThemselves() throws {
        let started = Date()
        assertEachHearsTheOthers(try runCall(lossRate: 0, maxExtraDelay: 0))
        // A figure, not an assertion: the machine is shared and noisy.
        print("in-memory call: 4.0 s of audio simulated in \(Date().timeIntervalSince(started)) s")
    }

    /// mediad builds SRTP contexts off its mixing thread: the session connects only
    /// once they are installed, and the call is as good as with inline setup.
    func testSrtpContextsBuiltOutsideTheSession() throws {
        assertEachHearsTheOthers(try runCall(lossRate: 0, maxExtraDelay: 0, defersSrtp: true))
    }

    func testTonesSurviveTenPercentLossAndReordering() throws {
        assertEachHearsTheOthers(try runCall(lossRate: 0.1, maxExtraDelay: 0.03))
    }

    /// A talker muted half-way through is left out of everyone's mix from then on.
    func testAMutedTalkerIsNotHeard() throws {
        let received = try runCall(lossRate: 0, maxExtraDelay: 0, afterTick: { room, now in
            if now >= 2 { room.setMuted("p1", muted: true) }
        })
        let before = Array(received[0].prefix(48000 * 2).suffix(48000))
        let after = Array(received[0].suffix(48000))
        let heardBefore = Goertzel.level(before, frequency: tones[1])
        let heardAfter = Goertzel.level(after, frequency: tones[1])
        XCTAssertGreaterThan(heardBefore, -40, "p0 hears p1 before the mute")
        XCTAssertLessThan(heardAfter, heardBefore - 30, "p1 still audible after the mute: \(heardBefore) → \(heardAfter) dB")
        XCTAssertGreaterThan(Goertzel.level(after, frequency: tones[2]), -40, "p0 still hears p2")
    }

    /// Five talkers, three mixed: a listener hears exactly the three loudest, and a
    /// selected talker hears the other two selected but never itself.
    func testSpeakerSelectionMixesTheLoudestAndNeverYourself() throws {
        let fiveTones: [Double?] = [440, 550, 660, 770, 880, nil]
        let levels: [UInt8] = [20, 25, 30, 70, 75, 127]
        let received = try runCall(lossRate: 0, maxExtraDelay: 0, tones: fiveTones, levels: levels, maxSpeakers: 3)
        let listener = Array(received[5].suffix(48000 * 2))
        let selected = [440.0, 550, 660].map { Goertzel.level(listener, frequency: $0) }
        for level in selected { XCTAssertGreaterThan(level, -30, "listener hears every selected talker: \(selected)") }
        // What remains of the others is limiter intermodulation, far below the mix.
        for tone in [770.0, 880] {
            let leaked = Goertzel.level(listener, frequency: tone)
            XCTAssertLessThan(leaked, (selected.min() ?? 0) - 25, "quiet \(tone) Hz is not mixed (\(leaked) dB)")
        }
        let firstTalker = Array(received[0].suffix(48000 * 2))
        XCTAssertLessThan(Goertzel.level(firstTalker, frequency: 440), Goertzel.level(firstTalker, frequency: 550) - 20)
        XCTAssertGreaterThan(Goertzel.level(firstTalker, frequency: 660), -30)
    }
}

/// A listener who would hear exactly one voice gets that voice's packet as sent,
/// not a re-encode: two talkers cost one encode per tick, a lone talker none.
extension InMemoryCallTests {
    /// Codec work in the last two seconds of a call, once everyone is connected.
    struct Work { var maxEncodes = 0; var minForwards = Int.max; var ticks = 0; var personalEncoders = 0 }

    func runCountingWork(tones: [Double?]) throws -> (received: [[Int16]], work: Work) {
        var work = Work()
        let received = try runCall(lossRate: 0, maxExtraDelay: 0, tones: tones) { room, now in
            guard now > 2 else { return }
            work.ticks += 1
            work.maxEncodes = max(work.maxEncodes, room.encodesLastTick)
            work.minForwards = min(work.minForwards, room.forwardsLastTick)
            work.personalEncoders = max(work.personalEncoders, room.personalEncoderCount)
        }
        return (received, work)
    }

    func testTwoTalkersHearEachOthersPacketAndListenersShareOneEncode() throws {
        let (received, work) = try runCountingWork(tones: [440, 550, nil, nil])
        let window = { (index: Int) in Array(received[index].suffix(48000 * 2)) }
        let first = window(0), second = window(1)
        XCTAssertGreaterThan(Goertzel.level(first, frequency: 550), Goertzel.level(first, frequency: 440) + 30)
        XCTAssertGreaterThan(Goertzel.level(second, frequency: 440), Goertzel.level(second, frequency: 550) + 30)
        XCTAssertGreaterThan(Goertzel.level(first, frequency: 550), -30)
        for listener in [window(2), window(3)] {
            XCTAssertGreaterThan(Goertzel.level(listener, frequency: 440), -30)
            XCTAssertGreaterThan(Goertzel.level(listener, frequency: 550), -30)
        }
        XCTAssertGreaterThan(work.ticks, 50)
        XCTAssertEqual(work.maxEncodes, 1, "only the listeners' shared mix is encoded")
        XCTAssertEqual(work.personalEncoders, 0, "nobody needed a mix-minus encoder of their own")
        XCTAssertEqual(work.minForwards, 2, "each talker gets the other's packet")
    }

    func testALoneTalkerIsForwardedWithoutCodecWork() throws {
        let (received, work) = try runCountingWork(tones: [440, nil, nil])
        for listener in [received[1], received[2]] {
            XCTAssertGreaterThan(Goertzel.level(Array(listener.suffix(48000 * 2)), frequency: 440), -30)
        }
        XCTAssertLessThan(Goertzel.level(Array(received[0].suffix(48000 * 2)), frequency: 440), -60, "the talker gets silence")
        XCTAssertEqual(work.maxEncodes, 0)
        XCTAssertEqual(work.minForwards, 2)
    }
}

/// Level of one frequency, in dB relative to full scale.
enum Goertzel {
    static func level(_ samples: [Int16], frequency: Double, rate: Double = 48000) -> Double {
        let coefficient = 2 * cos(2 * .pi * frequency / rate)
        var s1 = 0.0, s2 = 0.0
        for sample in samples {
            let s0 = Double(sample) / 32768 + coefficient * s1 - s2
            s2 = s1
            s1 = s0
        }
        let power = s1 * s1 + s2 * s2 - coefficient * s1 * s2
        let amplitude = 2 * sqrt(max(power, 0)) / Double(samples.count)
        return 20 * log10(amplitude + 1e-12)
    }
}

import Foundation

/// The mixer's Opus encoders plan in-band FEC for the loss the listeners report
/// over RTCP, and spend nothing on it while nobody reports loss.
extension InMemoryCallTests {
    struct PlannedLoss {
        var shared: Int32 = 0
        var personal: [Int32] = []
        var reported: [Int32] = []
        /// Reported losses one tick earlier: the shared encode plans for the worst of
        /// that tick's listeners of the shared mix (the listener, and any talker whose
        /// own frame was lost, who then heard the whole mix).
        var reportedBefore: [Int32] = []
    }

    func runMeasuringPlannedLoss(lossRate: Double) throws -> PlannedLoss {
        var planned = PlannedLoss()
        // Three talkers each hear two voices (a personal encode); the listener hears the shared mix.
        _ = try runCall(lossRate: lossRate, maxExtraDelay: 0, tones: [440, 550, 660, nil]) { room, now in
            guard now >= 3.9 else { return }
            planned.reportedBefore = planned.reported
            planned.shared = room.sharedMixExpectedLoss
            planned.personal = (0..<3).compactMap { room.personalExpectedLoss(of: "p\($0)") }
            planned.reported = (0..<4).compactMap { room.members["p\($0)"]?.session.downlinkLoss.percent }
        }
        return planned
    }

    func testEncodersFollowTheLossListenersReport() throws {
        let planned = try runMeasuringPlannedLoss(lossRate: 0.2)
        XCTAssertEqual(planned.reported.count, 4)
        for reported in planned.reported { XCTAssertTrue((5...45).contains(reported), "reported loss \(planned.reported)") }
        XCTAssertEqual(planned.reportedBefore.count, 4)
        let listener = planned.reportedBefore.last ?? -1, worst = planned.reportedBefore.max() ?? -1
        XCTAssertTrue((listener...worst).contains(planned.shared),
                      "the shared mix plans for its listeners: \(planned.shared) vs \(planned.reportedBefore)")
        XCTAssertEqual(planned.personal.count, 3)
        for (index, personal) in planned.personal.enumerated() {
            // As of its last encode: this tick's report, or the last one if its own frame was lost.
            XCTAssertTrue([planned.reported[index], planned.reportedBefore[index]].contains(personal),
                          "talker \(index)'s encoder plans for that talker: \(planned.personal) vs \(planned.reported)")
        }
    }

    func testNoReportedLossMeansNoFecPlanned() throws {
        let planned = try runMeasuringPlannedLoss(lossRate: 0)
        XCTAssertEqual(planned.reported, [0, 0, 0, 0])
        XCTAssertEqual(planned.shared, 0)
        XCTAssertEqual(planned.personal, [0, 0, 0])
    }
}

/// Speaker selection walks only the members that sent a level since the last tick
/// or are fading from speech: a town hall's silent listeners cost nothing per tick.
extension InMemoryCallTests {
    func testSilentListenersDropOutOfTheLevelWalk() throws {
        var hotCounts = Set<Int>()
        var speakers = Set<String>()
        let received = try runCall(lossRate: 0, maxExtraDelay: 0, tones: [440, 550, nil, nil, nil]) { room, now in
            guard now > 2 else { return }
            hotCounts.insert(room.hotCount)
            speakers.formUnion(room.selectedSpeakers)
        }
        XCTAssertEqual(hotCounts, [2], "the two talkers stay; listeners sending level 127 every frame drop out")
        XCTAssertEqual(speakers, ["p0", "p1"])
        let listener = Array(received[4].suffix(48000 * 2))
        for tone in [440.0, 550] { XCTAssertGreaterThan(Goertzel.level(listener, frequency: tone), -30) }
    }

    /// A member that was silent (out of the walk) and starts to speak is selected.
    func testAListenerWhoStartsTalkingIsSelected() throws {
        var selectedBefore = Set<String>(), selectedAfter = Set<String>(), hotBefore = 0
        let received = try runCall(lossRate: 0, maxExtraDelay: 0, tones: [440, 550, nil],
                                   levelAt: { peer, now in peer == 1 && now < 2.5 ? 127 : nil }) { room, now in
            if now > 1.5 && now < 2.5 {
                selectedBefore.formUnion(room.selectedSpeakers)
                hotBefore = max(hotBefore, room.hotCount)
            }
            if now > 3 { selectedAfter.formUnion(room.selectedSpeakers) }
        }
        XCTAssertEqual(selectedBefore, ["p0"])
        XCTAssertEqual(hotBefore, 1, "p1 sends level 127: out of the walk")
        XCTAssertEqual(selectedAfter, ["p0", "p1"])
        XCTAssertGreaterThan(Goertzel.level(Array(received[2].suffix(48000)), frequency: 550), -30, "p2 hears p1 once it talks")
    }
}
