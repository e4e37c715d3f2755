import Foundation
import Logging
import MediaCore
import NIOCore
import NIOPosix
import Wire

/// The rooms and sessions of one mixing thread. All its state is confined to its
/// event loop: datagrams (handed over by the UDP reader), mixer ticks and control
/// calls run there in turn. Outgoing datagrams are batched per turn.
final class MediaEngine: @unchecked Sendable {
    /// A class: a tick's timers and the counters read it for every session, and a
    /// struct's copy out of the dictionary retained each of its fields every time.
    final class Owned {
        let session: ServerSession
        let roomId: String
        /// The signald connection that created the session; it gets the session's events.
        let owner: WireConnection?
        var lastCounters = SessionCounters()
        var lastIce = IceLiteCounters()
        /// Sources routed to this session (mirrors the session's bounded validated list).
        var addresses: [TransportAddress] = []

        init(session: ServerSession, roomId: String, owner: WireConnection?) {
            self.session = session
            self.roomId = roomId
            self.owner = owner
        }
    }

    /// The mixer period is 20 ms; each 5 ms tick mixes one phase of the rooms.
    static let tickInterval: Int64 = 20_000_000 / Int64(TickPhases.count)
    /// Mixing work after which a tick lets the loop read before mixing further rooms.
    static let readInterval = TimeAmount.milliseconds(1)
    /// Datagrams read before the next slice of a tick (the socket keeps the rest).
    static let readsBetweenSlices = 256
    /// A session's counters are published on every this many visits of its timer group.
    static let publishEveryVisits = 10

    let loop: EventLoop
    let index: Int
    let logger: Logger
    private let udp: UdpDriver
    private let directory: EngineDirectory
    /// This thread's outgoing datagrams, sent straight to the socket (see `DatagramBatch`).
    private let outbox: DatagramBatch
    private let candidates: [TransportAddress]
    private let certificate: DtlsCertificate
    private let capacity: Int
    private let encoderOptions: OpusEncoderOptions
    private let srtpBuilder: NIOThreadPool
    private var rooms: [String: MixingRoom] = [:]
    private var phases = TickPhases()
    /// The rooms the current tick mixed (reused).
    private var mixed: [MixingRoom] = []
    private var tickCount = 0
    private var sessions: [String: Owned] = [:]
    private var timerGroups = SessionTimerGroups()
    private var byUfrag: [String: String] = [:]
    private var byAddress: [TransportAddress: String] = [:]
    private var tickBusyNanoseconds: Int64 = 0
    private var tickWindowStart = NIODeadline.now()
    private(set) var tickCpuPercent = 0.0
    private var nextTick = NIODeadline.now()
    /// When the tick being mixed was due (`mediad_mix_delay_seconds` counts from it).
    private var tickDue = NIODeadline.now()
    private var stopped = false
    /// Rooms whose tick has slices left to send (`scheduleFanOut`).
    private var roomsSendingSlices: Set<ObjectIdentifier> = []
    private var deferred = DeferredDatagrams()
    private var timerWalk = DeferredTimerWalk()

    init(index: Int, loop: EventLoop, udp: UdpDriver, directory: EngineDirectory, candidates: [TransportAddress],
         certificate: DtlsCertificate, capacity: Int, encoderOptions: OpusEncoderOptions, srtpBuilder: NIOThreadPool,
         logger: Logger) {
        self.srtpBuilder = srtpBuilder
        self.encoderOptions = encoderOptions
        self.index = index
        self.loop = loop
        self.udp = udp
        outbox = udp.makeBatch()
        self.directory = directory
        self.candidates = candidates
        self.certificate = certificate
        self.capacity = capacity
        self.logger = logger
    }

    // MARK: - Datagrams

    /// Called on `loop` for every datagram routed to this engine. While a room's tick
    /// is still sending slices, the datagram waits for its last one (`DeferredDatagrams`).
    func receive(_ bytes: [UInt8], from source: TransportAddress) {
        let now = MediaClock.now()
        if !roomsSendingSlices.isEmpty && deferred.append(bytes, from: source, at: now) { return }
        handle(bytes, from: source, now: now)
    }

    /// The datagrams kept while slices were being sent, in the order they came.
    private func handleDeferred() {
        guard deferred.count > 0 else { return }
        MediaMetrics.deferredDatagrams.increment(by: deferred.count)
        for index in 0..<deferred.count {
            let (bytes, source, arrival) = deferred.entry(index)
            handle(bytes, from: source, now: arrival)
        }
        deferred.removeAll()
    }

    private func handle(_ bytes: [UInt8], from source: TransportAddress, now: Double) {
        guard let participantId = route(bytes, from: source), let owned = sessions[participantId] else {
            return MediaMetrics.dropped("unknown_session").increment()
        }
        let out = owned.session.receive(bytes, from: source, now: now)
        if !out.isEmpty && byAddress[source] == nil { learn(source, for: participantId) }
        if let keys = owned.session.takeSrtpKeys() { buildSrtp(keys, for: owned.session) }
        send(out)
        drainEvents(of: participantId)
        flushOutbox()
    }

    /// Builds the session's SRTP contexts on the helper pool (about a millisecond each
    /// with NSS: a join storm must not stall every room's mixer) and installs them here.
    private func buildSrtp(_ keys: SrtpKeyMaterial, for session: ServerSession) {
        srtpBuilder.runIfActive(eventLoop: loop) { try SrtpPair(keys: keys) }.whenComplete { result in
            guard let owned = self.sessions[session.participantId], owned.session === session else { return }
            session.installSrtp(result)
            self.drainEvents(of: session.participantId)
            self.flushOutbox()
        }
    }

    /// Routes `source` to the session from now on, and forgets the sources the session
    /// itself no longer accepts, so a peer hopping ports cannot grow the tables.
    private func learn(_ source: TransportAddress, for participantId: String) {
        guard let owned = sessions[participantId] else { return }
        byAddress[source] = participantId
        directory.learned(address: source, engine: index)
        owned.addresses.append(source)
        if owned.addresses.count > ServerSession.maxValidatedSources {
            let accepted = Set(owned.session.validatedSources)
            let forgotten = owned.addresses.filter { !accepted.contains($0) }
            owned.addresses.removeAll { !accepted.contains($0) }
            for address in forgotten { byAddress[address] = nil }
            directory.forget(addresses: forgotten)
        }
    }

    /// Known address first; else the ufrag in a STUN request's USERNAME.
    private func route(_ bytes: [UInt8], from source: TransportAddress) -> String? {
        if let known = byAddress[source] { return known }
        return Self.stunUfrag(bytes).flatMap { byUfrag[$0] }
    }

    /// Our ufrag from a STUN request's USERNAME ("ours:theirs"), if it is one.
    static func stunUfrag(_ bytes: [UInt8]) -> String? {
        guard PacketDemux.classify(bytes) == .stun, let message = try? StunMessage(parsing: bytes),
              let username = message.attribute(StunUsername.self)?.value,
              let ufrag = username.split(separator: ":", maxSplits: 1).first else { return nil }
        return String(ufrag)
    }

    private func send(_ transmits: [Transmit]) {
        for transmit in transmits { outbox.append(transmit.bytes, to: transmit.to) }
    }

    private func flushOutbox() {
        guard !outbox.isEmpty else { return }
        outbox.flush()
        let counts = outbox.takeCounts()
        MediaMetrics.packetsOut.increment(by: counts.sent)
        if counts.dropped > 0 { MediaMetrics.dropped("send_failed").increment(by: counts.dropped) }
    }

    // MARK: - Mixer clock

    /// Starts the clock; ticks are scheduled on absolute deadlines so they don't drift.
    func startClock() {
        loop.execute {
            self.nextTick = .now() + .nanoseconds(Self.tickInterval)
            self.scheduleTick()
        }
    }

    private func scheduleTick() {
        guard !stopped else { return }
        loop.scheduleTask(deadline: nextTickDue) { self.tick() }
    }

    /// The next tick's place on the grid plus its phase's offset (`TickPhases.offsets`).
    private var nextTickDue: NIODeadline {
        nextTick + .nanoseconds(Int64(phases.offsets[tickCount % TickPhases.count] * 1e9))
    }

    private func tick() {
        let started = NIODeadline.now()
        tickDue = nextTickDue
        if started - tickDue > .milliseconds(10) { MediaMetrics.lateTicks.increment() }
        let phase = tickCount % TickPhases.count
        mixed.removeAll(keepingCapacity: true)
        for room in phases.rooms[phase] where !phases.skipsTick(room) { mixed.append(room) }
        mixRooms(from: 0, phase: phase, busy: 0)
    }

    /// Mixes this tick's rooms from `start` on. After `readInterval` of work the rest
    /// waits for a task of its own, which first reads what arrived meanwhile
    /// (`UdpDriver.readPending`: NIO would run the task before polling the socket): a
    /// packet left unread behind a long tick is timed late, which the jitter buffers
    /// take for network jitter and answer with a deeper buffer (added latency).
    private func mixRooms(from start: Int, phase: Int, busy: Int64) {
        guard !stopped else { return }
        // Every speaker's frame that came is in its jitter buffer before any room mixes.
        // A tick with no room (phase 0 serving the timers) leaves a fan-out's deferred alone.
        if start < mixed.count { handleDeferred() }
        let sliceStarted = NIODeadline.now()
        let now = MediaClock.now()
        var index = start
        while index < mixed.count {
            let room = mixed[index]
            index += 1
            // Emptied and dropped while this tick waited for a read: nothing to mix.
            guard room.participantCount > 0 else { continue }
            room.tick(now: now, into: outbox)
            // Each room's mix leaves as soon as it is ready, not after every room's.
            flushOutbox()
            deliverEvents(of: room)
            let failed = room.takeEncodeErrors()
            if failed > 0 { MediaMetrics.encodeErrors.increment(by: failed) }
            for wait in room.speakerWaits { MediaMetrics.speakerWait.recordNanoseconds(Int64(wait * 1e9)) }
            if room.hasPendingFanOut {
                roomsSendingSlices.insert(ObjectIdentifier(room))
                scheduleFanOut(of: room, due: tickDue)
            } else {
                MediaMetrics.mixDelay.recordNanoseconds((NIODeadline.now() - tickDue).nanoseconds)
            }
            let spent = NIODeadline.now() - sliceStarted
            if index < mixed.count && spent >= Self.readInterval {
                loop.execute {
                    self.udp.readPending(limit: Self.readsBetweenSlices)
                    self.mixRooms(from: index, phase: phase, busy: busy + spent.nanoseconds)
                }
                return
            }
        }
        finishTick(phase: phase, busy: busy + (NIODeadline.now() - sliceStarted).nanoseconds)
    }

    private func finishTick(phase: Int, busy mixing: Int64) {
        let started = NIODeadline.now()
        phases.recordBusy(Double(mixing) / 1e9, phase: phase)
        // Line each room's tick up with its speakers' arrivals (after the loop over
        // this phase, which moving would change).
        for room in mixed where room.participantCount > 0 {
            if let moved = phases.align(room, in: phase, waits: room.speakerWaits) {
                logger.debug("room moved phase", metadata: ["room": "\(room.id)", "from": "\(phase)", "to": "\(moved)",
                                                            "waits_ms": "\(room.speakerWaits.map { Int($0 * 1000) })"])
            } else if let moved = phases.fineAlign(room, in: phase, waits: room.speakerWaits) {
                logger.debug("room tick shifted", metadata: ["room": "\(room.id)", "from": "\(phase)", "to": "\(moved.phase)",
                                                            "offset_us": "\(Int(moved.offset * 1e6))"])
            }
        }
        if phase == 0 {
            // A big room still sending its slices goes first: its listeners' packets
            // would wait for the timer walk (a fifth of a town hall's sessions).
            for period in timerWalk.due(tickCount / TickPhases.count, slicesPending: !roomsSendingSlices.isEmpty) {
                runTimers(inPeriod: period)
            }
        }
        flushOutbox()
        let busy = mixing + (NIODeadline.now() - started).nanoseconds
        MediaMetrics.tickDuration.recordNanoseconds(busy)
        accountTickCpu(busy, now: started)
        advanceClock()
        scheduleTick()
    }

    /// Sends the next slice of a big room's packets after reading what arrived
    /// meanwhile (`UdpDriver.readPending`).
    /// The room's next tick sends whatever is left first, so nothing is lost if the
    /// slices fall behind.
    private func scheduleFanOut(of room: MixingRoom, due: NIODeadline) {
        loop.execute {
            // The room's next tick sent the rest (slices fell behind): nothing left here.
            guard room.hasPendingFanOut else { return self.finishedSlices(of: room) }
            self.udp.readPending(limit: Self.readsBetweenSlices)
            let started = NIODeadline.now()
            room.continueFanOut(into: self.outbox)
            self.flushOutbox()
            let busy = NIODeadline.now() - started
            self.phases.recordFanOut(Double(busy.nanoseconds) / 1e9, of: room)
            self.accountTickCpu(busy.nanoseconds, now: started)
            if room.hasPendingFanOut {
                self.scheduleFanOut(of: room, due: due)
            } else {
                MediaMetrics.mixDelay.recordNanoseconds((NIODeadline.now() - due).nanoseconds)
                // The listeners' frames, taken with the last slice, may have raised events.
                self.deliverEvents(of: room)
                self.finishedSlices(of: room)
            }
        }
    }

    private func finishedSlices(of room: MixingRoom) {
        roomsSendingSlices.remove(ObjectIdentifier(room))
        guard roomsSendingSlices.isEmpty else { return }
        handleDeferred()
        if let period = timerWalk.slicesFinished() { runTimers(inPeriod: period) }
        flushOutbox()
    }

    private func runTimers(inPeriod period: Int) {
        let now = MediaClock.now()
        // Every tenth visit of a group (once a second) its sessions' counters are
        // published too: all of a town hall's at once stalled a tick by ~3 ms.
        let publishing = (period / SessionTimerGroups.count) % Self.publishEveryVisits == 0
        for session in timerGroups.due(inPeriod: period) {
            send(session.handleTimeout(now: now))
            if publishing { publishCounters(of: session.participantId) }
            if session.hasEvents { drainEvents(of: session.participantId) }
        }
    }

    private func deliverEvents(of room: MixingRoom) {
        for session in room.takeSessionsWithEvents() { drainEvents(of: session.participantId) }
    }

    private func advanceClock() {
        let steps = phases.ticksToNextBusyPhase(after: tickCount)
        tickCount += steps
        nextTick = TickPhases.deadline(nextTick + .nanoseconds(Self.tickInterval * Int64(steps)), now: .now(),
                                       period: .nanoseconds(Self.tickInterval * Int64(TickPhases.count)))
    }

    private func accountTickCpu(_ nanoseconds: Int64, now: NIODeadline) {
        tickBusyNanoseconds += nanoseconds
        let window = now - tickWindowStart
        if window >= .seconds(1) {
            tickCpuPercent = Double(tickBusyNanoseconds) / Double(window.nanoseconds) * 100
            tickBusyNanoseconds = 0
            tickWindowStart = now
            MediaMetrics.sessions.record(sessions.count)
            MediaMetrics.rooms.record(rooms.count)
        }
    }

    /// Adds what one session dropped since the last call (each session once a second,
    /// with its timer group); also run just before a session is removed, so packets
    /// refused in its last second are still counted.
    private func publishCounters(of participantId: String) {
        guard let owned = sessions[participantId] else { return }
        let now = owned.session.counters
        let before = owned.lastCounters
        add(now.droppedSrtpAuth - before.droppedSrtpAuth, "srtp_auth")
        add(now.droppedUnvalidatedSource - before.droppedUnvalidatedSource, "unvalidated_source")
        add(now.droppedMalformed - before.droppedMalformed, "malformed")
        add(now.droppedWrongPayloadType - before.droppedWrongPayloadType, "wrong_payload_type")
        add(now.droppedBeforeKeys - before.droppedBeforeKeys, "before_keys")
        if now.decodeErrors > before.decodeErrors { MediaMetrics.decodeErrors.increment(by: now.decodeErrors - before.decodeErrors) }
        let ice = owned.session.iceCounters
        add(ice.droppedIntegrity - owned.lastIce.droppedIntegrity, "stun_integrity")
        add(ice.droppedFingerprint - owned.lastIce.droppedFingerprint, "stun_fingerprint")
        add(ice.droppedUsername - owned.lastIce.droppedUsername, "stun_username")
        add(ice.droppedMalformed - owned.lastIce.droppedMalformed, "stun_malformed")
        owned.lastCounters = now
        owned.lastIce = ice
        if let delay = owned.session.playoutDelay { MediaMetrics.playoutDelay.recordSeconds(delay) }
    }

    private func add(_ delta: Int, _ reason: String) {
        if delta > 0 { MediaMetrics.dropped(reason).increment(by: delta) }
    }

    // MARK: - Control (called from Wire handlers; hops onto the loop)

    func createSession(_ request: CreateMediaSession, owner: WireConnection?) async throws -> MediaSessionAnswer {
        let offer: AudioOffer
        do { offer = try AudioOffer(parsing: request.offerSdp) } catch let error as MediaError {
            throw error == .sdpNoAudio ? MediaServerError.noUsableAudio : MediaServerError.invalidOffer(error.code)
        } catch {
            throw MediaServerError.invalidOffer("unreadable offer")
        }
        return try await loop.submit {
            if self.sessions[request.participantId] == nil && self.sessions.count >= self.capacity {
                throw MediaServerError.atCapacity
            }
            let session: ServerSession
            do {
                session = try ServerSession(participantId: request.participantId, offer: offer, certificate: self.certificate,
                                            candidates: self.candidates, now: MediaClock.now(), defersSrtpSetup: true)
            } catch {
                throw MediaServerError.invalidOffer("\(error)")
            }
            session.muted = request.muted
            self.removeSession(request.participantId, reason: "replaced", notify: false)
            let room: MixingRoom
            if let existing = self.rooms[request.roomId] {
                room = existing
            } else {
                room = try MixingRoom(id: request.roomId, encoderOptions: self.encoderOptions)
                self.rooms[request.roomId] = room
                self.phases.add(room)
            }
            self.send(try room.add(session))
            self.sessions[request.participantId] = Owned(session: session, roomId: request.roomId, owner: owner)
            self.timerGroups.add(session)
            self.byUfrag[session.localUfrag] = request.participantId
            self.directory.added(participant: request.participantId, ufrag: session.localUfrag, engine: self.index)
            self.flushOutbox()
            self.logger.info("media session created", metadata: ["room": "\(request.roomId)", "participant": "\(request.participantId)"])
            return MediaSessionAnswer(answerSdp: session.answerSdp)
        }.get()
    }

    func setMuted(_ request: SetSessionMuted) async throws {
        try await loop.submit {
            guard let owned = self.sessions[request.participantId] else { throw MediaServerError.unknownSession }
            self.rooms[owned.roomId]?.setMuted(request.participantId, muted: request.muted)
        }.get()
    }

    func addCandidate(_ request: AddRemoteCandidate) async throws {
        // ICE-lite answers checks from any address; a candidate only has to belong to a live session.
        try await loop.submit {
            guard self.sessions[request.participantId] != nil else { throw MediaServerError.unknownSession }
        }.get()
    }

    func closeSession(_ request: CloseMediaSession) async {
        try? await loop.submit {
            self.removeSession(request.participantId, reason: request.reason, notify: false)
            self.flushOutbox()
        }.get()
    }

    /// Closes every session (RTCP BYE to each peer, `closed` to signald) and stops the clock.
    func shutdown() async {
        try? await loop.submit {
            for participantId in Array(self.sessions.keys) {
                self.notify(participantId, MediaSessionStateChanged.State.closed, code: "media_server_shutdown", message: "the media server is shutting down")
                self.removeSession(participantId, reason: "shutdown", notify: false)
            }
            self.flushOutbox()
            self.stopped = true
        }.get()
    }

    func load() async -> MediaServerLoad {
        (try? await loop.submit {
            MediaServerLoad(rooms: self.rooms.count, participants: self.sessions.count, tickCpuPercent: self.tickCpuPercent)
        }.get()) ?? MediaServerLoad()
    }

    // MARK: - Session lifecycle

    private func drainEvents(of participantId: String) {
        guard let owned = sessions[participantId] else { return }
        for event in owned.session.takeEvents() {
            switch event {
            case .connected:
                notify(participantId, .connected)
                logger.info("media connected", metadata: ["participant": "\(participantId)",
                                                          "srtp": "\(owned.session.srtpProfile.map { "\($0)" } ?? "-")"])
            case .talking(let talking):
                owned.owner?.notify(ParticipantTalking(roomId: owned.roomId, participantId: participantId, talking: talking))
            case .failed(let code, let message):
                MediaMetrics.sessionsEnded(code).increment()
                logger.warning("media session failed", metadata: ["participant": "\(participantId)", "code": "\(code)"])
                notify(participantId, .failed, code: code, message: message)
                removeSession(participantId, reason: code, notify: false)
            case .closed:
                MediaMetrics.sessionsEnded("peer_closed").increment()
                notify(participantId, .closed, code: "peer_closed", message: "the peer ended the media session")
                removeSession(participantId, reason: "peer_closed", notify: false)
            }
        }
    }

    private func notify(_ participantId: String, _ state: MediaSessionStateChanged.State, code: String? = nil, message: String? = nil) {
        guard let owned = sessions[participantId] else { return }
        owned.owner?.notify(MediaSessionStateChanged(roomId: owned.roomId, participantId: participantId, state: state, code: code, message: message))
    }

    private func removeSession(_ participantId: String, reason: String, notify: Bool) {
        publishCounters(of: participantId)
        guard let owned = sessions.removeValue(forKey: participantId) else { return }
        timerGroups.remove(owned.session)
        if let room = rooms[owned.roomId] {
            send(room.remove(participantId, reason: reason))
            if room.participantCount == 0 {
                rooms[owned.roomId] = nil
                phases.remove(room)
            }
        } else {
            send(owned.session.close(reason: reason))
        }
        directory.removed(participant: participantId, ufrag: owned.session.localUfrag, addresses: owned.addresses)
        byUfrag[owned.session.localUfrag] = nil
        for address in owned.addresses { byAddress[address] = nil }
    }
}
