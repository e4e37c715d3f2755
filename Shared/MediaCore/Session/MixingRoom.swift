/// One room's mixer. Every 20 ms the loudest current speakers (at most
/// `maxSpeakers`, chosen from RFC 6464 levels or decoded energy) are decoded and
/// summed once in Int32; each selected speaker is sent the sum minus its own voice,
/// and everyone else shares one encode of the sum. Streams not mixed are not decoded.
///
/// A listener who would hear exactly one voice gets that voice's Opus packet as it
/// arrived instead of a decode and re-encode (a lone speaker costs no codec work at
/// all; with two, each hears the other's packet and only the listeners' shared mix
/// is encoded), and a listener who would hear nobody gets one cached silence packet.
public final class MixingRoom {
    public struct Member {
        public let session: ServerSession
        /// For this member's own mix-minus encoder (its DTX preference).
        let encoderOptions: OpusEncoderOptions
    }

    /// A member's own mix-minus encoder. Opus encoders are ~43 KB each, so one
    /// exists only while its member is a mixed speaker: created on first use,
    /// dropped after `encoderIdleTicks` without use.
    final class PersonalEncoder {
        let encoder: OpusAudioEncoder
        var lastUsed: Int
        init(_ encoder: OpusAudioEncoder, tick: Int) { self.encoder = encoder; lastUsed = tick }
    }

    /// 3 s: past a pause between sentences, not across a change of talkers.
    static let encoderIdleTicks = 150

    public let id: String
    public private(set) var members: [String: Member] = [:]
    /// The members' sessions in the order they joined: what a tick walks (an array is
    /// cheaper to walk than the dictionary, and the fan-out order is stable).
    private var roster: [ServerSession] = []
    /// The same sessions' addresses, unretained (the roster holds them), for the
    /// fan-out to prefetch ahead of use (`FanOut.prefetchDistance`).
    private var rosterObjects: [UnsafeRawPointer] = []
    private let sharedEncoder: OpusAudioEncoder
    private let encoderOptions: OpusEncoderOptions
    public private(set) var encodesLastTick = 0
    public private(set) var decodesLastTick = 0
    /// Listeners sent a speaker's own packet this tick.
    public private(set) var forwardsLastTick = 0
    /// A 20 ms Opus frame of silence, encoded once.
    private let silencePacket: [UInt8]
    /// Opus encodes that failed since the last `takeEncodeErrors` (the listener misses that frame).
    private var encodeErrors = 0
    private var speakers: SpeakerSelector
    private var tickCount = 0
    private var personalEncoders: [String: PersonalEncoder] = [:]
    /// Members holding a personal encoder right now.
    public var personalEncoderCount: Int { personalEncoders.count }
    // Per-tick working sets, emptied and refilled every tick so their storage is reused.
    private var loudness: [String: Double] = [:]
    /// Members in `loudness` whose stream was silent this very tick (`SpeakerSelector`).
    private var silentNow: Set<String> = []
    private var frames: [String: [Int16]] = [:]
    private var packets: [String: [UInt8]] = [:]
    private var voices: [String] = []
    private var speakerSessions: [ServerSession] = []
    /// What `tick(now:)` and `continueFanOut()` return, collected here.
    let collected = DatagramList()
    private var mixTotal: [Int32] = []
    private var mixFrame: [Int16] = []
    /// The worst loss reported by last tick's listeners of the shared mix: its FEC
    /// is planned for them (a tick late, which no one can hear).
    private var sharedListenersLoss: Int32 = 0

    /// Packets of this tick still to be wrapped and sent (see `continueFanOut`).
    var fanOut = FanOut()
    /// Where members note a level that came in (see `LevelMarks`), and what a tick took from it.
    private let levelMarks = LevelMarks()
    private var marked: [ServerSession] = []
    /// The members a tick folds levels for: those that sent one, until it fades to
    /// silence, and those whose level comes from decoding (always).
    private var hot: [ServerSession] = []
    /// How many members the next tick walks for levels beyond those marked since (tests).
    var hotCount: Int { hot.count }
    /// The tick whose listener frames are still to be taken, once its packets are out.
    private var listenerFramesDue: Double?

    public init(id: String, maxSpeakers: Int = 3, encoderOptions: OpusEncoderOptions = OpusEncoderOptions(),
                fanOutSlice: Int = MixingRoom.defaultFanOutSlice) throws {
        self.id = id
        fanOut.slice = max(1, fanOutSlice)
        speakers = SpeakerSelector(maximum: maxSpeakers)
        self.encoderOptions = encoderOptions
        sharedEncoder = try OpusAudioEncoder(options: encoderOptions)
        silencePacket = try Self.encodeSilence(options: encoderOptions)
    }

    /// The steady-state frame an encoder settles on for digital silence.
    private static func encodeSilence(options: OpusEncoderOptions) throws -> [UInt8] {
        let encoder = try OpusAudioEncoder(options: options)
        let quiet = [Int16](repeating: 0, count: MixMinus.frameSamples)
        var packet: [UInt8] = []
        for _ in 0..<10 { packet = try encoder.encode(pcm: quiet) }
        return packet
    }

    public var participantCount: Int { members.count }

    /// Adds a session, replacing (and closing) an older one of the same participant.
    @discardableResult
    public func add(_ session: ServerSession) throws -> [Transmit] {
        var options = encoderOptions
        // Honour the participant's own DTX preference for its personal stream.
        options.dtx = encoderOptions.dtx || session.offer.opus.useDtx
        let previous = members[session.participantId]
        members[session.participantId] = Member(session: session, encoderOptions: options)
        previous?.session.levelMarks = nil
        session.levelMarks = levelMarks
        if session.decodesForLevel {
            session.isLevelHot = true
            hot.append(session)
        }
        let object = UnsafeRawPointer(addressOf: session)
        if let previous, let slot = roster.firstIndex(where: { $0 === previous.session }) {
            roster[slot] = session
            rosterObjects[slot] = object
        } else {
            roster.append(session)
            rosterObjects.append(object)
        }
        return previous?.session.close(reason: "replaced") ?? []
    }

    public func remove(_ participantId: String, reason: String = "left") -> [Transmit] {
        personalEncoders[participantId] = nil
        guard let removed = members.removeValue(forKey: participantId) else { return [] }
        if let slot = roster.firstIndex(where: { $0 === removed.session }) {
            roster.remove(at: slot)
            rosterObjects.remove(at: slot)
        }
        // Closed below: the next tick drops it from `hot`.
        removed.session.levelMarks = nil
        return removed.session.close(reason: reason)
    }

    public func setMuted(_ participantId: String, muted: Bool) {
        members[participantId]?.session.muted = muted
    }

    /// Encodes `id`'s own mix with its personal encoder, creating it if needed.
    private func encodePersonal(_ pcm: [Int16], for id: String) -> [UInt8]? {
        let loss = members[id]?.session.downlinkLoss.percent ?? 0
        if let personal = personalEncoders[id] {
            personal.lastUsed = tickCount
            personal.encoder.setExpectedLoss(loss)
            return encode(pcm, with: personal.encoder)
        }
        guard let options = members[id]?.encoderOptions, let encoder = try? OpusAudioEncoder(options: options) else {
            encodeErrors += 1
            return nil
        }
        personalEncoders[id] = PersonalEncoder(encoder, tick: tickCount)
        encoder.setExpectedLoss(loss)
        return encode(pcm, with: encoder)
    }

    /// Frees the personal encoders of members who stopped being mixed speakers (or left).
    private func dropIdleEncoders() {
        personalEncoders = personalEncoders.filter { id, personal in
            members[id] != nil && tickCount - personal.lastUsed <= Self.encoderIdleTicks
        }
    }

    private func encode(_ pcm: [Int16], with encoder: OpusAudioEncoder) -> [UInt8]? {
        encodesLastTick += 1
        do { return try encoder.encode(pcm: pcm) } catch {
            encodeErrors += 1
            return nil
        }
    }

    /// Failed encodes since the last call, for metrics.
    public func takeEncodeErrors() -> Int {
        defer { encodeErrors = 0 }
        return encodeErrors
    }

    /// The loss the shared mix's encoder plans FEC for (tests, metrics).
    public var sharedMixExpectedLoss: Int32 { sharedEncoder.expectedLossPercent }

    /// The loss `id`'s own mix-minus encoder plans FEC for, while it has one (tests).
    func personalExpectedLoss(of id: String) -> Int32? { personalEncoders[id]?.encoder.expectedLossPercent }

    /// Who is being mixed right now.
    public var selectedSpeakers: Set<String> { speakers.selected }

    /// Members whose session raised events (talking changes) since the last call, for
    /// the driver to deliver: after a tick, and after the slice that ends its fan-out
    /// (the listeners' frames are taken then).
    private var sessionsWithEvents: [ServerSession] = []

    public func takeSessionsWithEvents() -> [ServerSession] {
        defer { sessionsWithEvents.removeAll(keepingCapacity: true) }
        return sessionsWithEvents
    }

    /// How long each selected speaker's frame waited for this tick (those that played
    /// one): the mixing thread lines the room's tick up with their arrivals.
    public private(set) var speakerWaits: [Double] = []

    /// One 20 ms mixer tick, as transmits (tests, sans-IO callers).
    public func tick(now: Double) -> [Transmit] {
        collected.removeAll()
        tick(now: now, into: collected)
        return collected.transmits
    }

    /// One 20 ms mixer tick: queues the packets of the first `fanOutSlice` listeners
    /// (and any the last tick had not sent yet) into `sink`; `continueFanOut` gives the rest.
    public func tick(now: Double, into sink: DatagramSink) {
        // Whatever the last tick left unsent goes first: each stream keeps its order.
        drainFanOut(into: sink, limit: .max)
        tickCount += 1
        if tickCount % 50 == 0 { dropIdleEncoders() }
        takeLevels()
        speakers.select(loudness: loudness, silentNow: silentNow)
        let selected = speakers.current
        // A lone speaker is only ever forwarded: nobody needs its decoded audio.
        let mixing = selected.count > 1
        frames.removeAll(keepingCapacity: true)
        packets.removeAll(keepingCapacity: true)
        voices.removeAll(keepingCapacity: true)
        decodesLastTick = 0
        speakerWaits.removeAll(keepingCapacity: true)
        speakerSessions.removeAll(keepingCapacity: true)
        // The speakers' frames first: they decide what everyone hears.
        for id in selected {
            guard let session = members[id]?.session else { continue }
            speakerSessions.append(session)
            let frame = nextFrame(of: session, decode: mixing || session.decodesForLevel, now: now)
            if let wait = session.lastPlayedWait { speakerWaits.append(wait) }
            if let pcm = frame.pcm { frames[id] = pcm }
            if let opus = frame.opus { packets[id] = opus }
            if frame.pcm != nil || frame.opus != nil { voices.append(id) }
        }
        var mix = TickMix()
        encodesLastTick = 0
        forwardsLastTick = 0
        // The speakers first, each with its own feed: they talk with each other.
        for session in speakerSessions where session.isConnected {
            switch feed(for: session.participantId, selected: selected, mixing: mixing, mix: &mix) {
            case .conceal:
                session.skipFrame()
            case .send(let payload, let source):
                if source == .forward { forwardsLastTick += 1 }
                if let payload { fanOut.addSpeaker(session, payload) }
            }
        }
        // Every listener who is not a speaker hears the same thing: worked out once,
        // and sent down the roster by `drainFanOut` with nothing else on the way.
        if roster.count > speakerSessions.count {
            let shared = feed(for: nil, selected: selected, mixing: mixing, mix: &mix)
            fanOut.setListeners(roster, objects: rosterObjects, skipping: speakerSessions, feed: shared)
        }
        // The listeners' own streams (DTX, mostly) are read once their packets are out.
        listenerFramesDue = now
        drainFanOut(into: sink, limit: fanOut.slice)
    }

    /// Folds in the levels that came since the last tick and fills `loudness` with the
    /// members speech could select: only the sessions that sent a level (`LevelMarks`)
    /// or are still fading from one are walked; a silent one drops out of `hot`.
    private func takeLevels() {
        loudness.removeAll(keepingCapacity: true)
        silentNow.removeAll(keepingCapacity: true)
        levelMarks.take(into: &marked)
        for session in marked where !session.isLevelHot && !session.isEnded {
            session.isLevelHot = true
            hot.append(session)
        }
        var kept = 0
        for index in hot.indices {
            let session = hot[index]
            session.beginTick()
            // Only speech can be selected: a town hall's silent listeners stay out of the table.
            if session.isConnected && !session.muted && session.loudness <= speakers.activeLevel {
                loudness[session.participantId] = session.loudness
                if let level = session.levelThisTick, Double(level) > speakers.activeLevel {
                    silentNow.insert(session.participantId)
                }
            }
            guard !session.isEnded, !session.settleIfSilent() else {
                session.isLevelHot = false
                continue
            }
            hot[kept] = session
            kept += 1
        }
        hot.removeLast(hot.count - kept)
    }

    /// Wraps up to `limit` of this tick's packets into `sink`; once the last is out,
    /// takes the listeners' frames for this tick (`takeListenerFrames`).
    func drainFanOut(into sink: DatagramSink, limit: Int) {
        fanOut.drain(into: sink, limit: limit)
        guard fanOut.isEmpty else { return }
        forwardsLastTick += fanOut.takeForwards()
        if let loss = fanOut.takeSharedLoss() { sharedListenersLoss = loss }
        if let now = listenerFramesDue { takeListenerFrames(now: now) }
    }

    /// Every member but the speakers takes its frame for the tick: it keeps each jitter
    /// buffer moving (and the decoders of streams without levels, and the talking
    /// detectors), but none of it changes what the tick sends.
    ///
    /// In a town hall that is a walk of every listener after the fan-out has pushed
    /// them out of the cache: the sessions are prefetched as the fan-out does, then
    /// their receivers (the jitter buffer and talking detector), a few listeners ahead.
    private func takeListenerFrames(now: Double) {
        listenerFramesDue = nil
        let objects = rosterObjects
        for index in roster.indices {
            // The roster keeps the sessions alive.
            FanOut.prefetch(ahead: index, in: objects) { $0.prefetchReceivePath() }
            let session = roster[index]
            guard !speakerSessions.contains(where: { $0 === session }) else { continue }
            _ = nextFrame(of: session, decode: session.decodesForLevel, now: now)
        }
    }

    /// A member's next frame for this tick, noting its decode and its events.
    private func nextFrame(of session: ServerSession, decode: Bool, now: Double) -> (pcm: [Int16]?, opus: [UInt8]?) {
        if decode && session.isConnected { decodesLastTick += 1 }
        let frame = session.nextAudioFrame(now: now, decode: decode)
        if session.hasEvents { sessionsWithEvents.append(session) }
        return frame
    }

    /// What one listener is sent this tick.
    enum Feed {
        /// Nothing: the lone speaker's frame is missing and the listener's decoder conceals it.
        case conceal
        /// `payload` is nil when its encode failed (counted; the listener misses the frame).
        case send(payload: [UInt8]?, source: FeedSource)
    }

    enum FeedSource { case silence, forward, personalMix, sharedMix }

    /// The tick's sum and shared encode, made on first need.
    private struct TickMix {
        var summed = false
        var shared: [UInt8]?
    }

    /// What `id` hears (nil: any member who is not a speaker): silence, the one voice
    /// it hears as it arrived, its own mix-minus (a mixed speaker), or the shared mix.
    private func feed(for id: String?, selected: [String], mixing: Bool, mix: inout TickMix) -> Feed {
        // How many voices this listener hears (all but its own).
        let isVoice = id.map { voices.contains($0) } ?? false
        let heardCount = voices.count - (isVoice ? 1 : 0)
        if heardCount == 0 {
            if !mixing, let lone = selected.first, lone != id, packets[lone] == nil { return .conceal }
            return .send(payload: silencePacket, source: .silence)
        }
        if heardCount == 1, let only = voices.first(where: { $0 != id }), let packet = packets[only] {
            return .send(payload: packet, source: .forward)
        }
        if !mix.summed { MixMinus.sum(frames.values, into: &mixTotal) }
        mix.summed = true
        if isVoice, let id, let own = frames[id] {
            // A mixed speaker hears everyone but itself, from its own encoder.
            MixMinus.limit(mixTotal, minus: own, into: &mixFrame)
            return .send(payload: encodePersonal(mixFrame, for: id), source: .personalMix)
        }
        // Everyone else shares one encode of the whole mix.
        if mix.shared == nil {
            MixMinus.limit(mixTotal, minus: nil, into: &mixFrame)
            sharedEncoder.setExpectedLoss(sharedListenersLoss)
            mix.shared = encode(mixFrame, with: sharedEncoder)
        }
        return .send(payload: mix.shared, source: .sharedMix)
    }
}
