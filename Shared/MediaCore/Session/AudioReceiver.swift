/// The receive half of one Opus stream: RTP in, 20 ms PCM frames out, with a
/// jitter buffer, loss concealment, FEC recovery, statistics and talking state.
final class AudioReceiver {
    let payloadType: UInt8
    let audioLevelExtensionId: UInt8?
    private var jitterBuffer = JitterBuffer()
    /// Created on the first frame that is decoded and dropped after `decoderIdleFrames`
    /// frames (3 s) without decoding: most participants of a room are never mixed, an
    /// Opus decoder is 18 KB, and a decoder that skipped frames is reset before it
    /// decodes again anyway, so keeping it longer only holds memory (a meeting whose
    /// talkers change every few seconds held ~36 KB more per participant at 10 s).
    private var decoder: OpusAudioDecoder?
    private var framesSinceDecode = 0
    static let decoderIdleFrames = 150
    private var talkingDetector = TalkingDetector()
    private(set) var statistics: ReceiveStatistics?
    /// The loudest RFC 6464 level seen since the last tick (0 is loudest).
    private var pendingLevel: UInt8?
    private var started = false
    /// Frames concealed since the stream last delivered audio; stops PLC after a while.
    private var concealedInARow = 0

    init(payloadType: UInt8, audioLevelExtensionId: UInt8?) throws {
        self.payloadType = payloadType
        self.audioLevelExtensionId = audioLevelExtensionId
    }

    var isTalking: Bool { talkingDetector.isTalking }
    var jitterBufferStats: JitterBufferStats { jitterBuffer.stats }
    /// The jitter buffer's target delay while it plays a stream, else nil.
    var playoutDelay: Double? { jitterBuffer.isPlaying ? jitterBuffer.targetDelay : nil }
    /// How long the frame played this tick waited in the jitter buffer, if one played.
    var lastPlayedWait: Double? { jitterBuffer.lastPlayedWait }

    /// Accepts one decrypted RTP packet; false when it is not our audio.
    func receive(_ packet: RtpPacket, now: Double) -> Bool {
        let level = audioLevelExtensionId.flatMap { packet.audioLevel(extensionId: $0) }
        return packet.payload.withUnsafeBytes { payload in
            receive(payloadType: packet.payloadType, ssrc: packet.ssrc, sequence: packet.sequenceNumber,
                    timestamp: packet.timestamp, level: level, payload: payload, now: now)
        }
    }

    /// Accepts one decrypted RTP packet read in place (the server's allocation-free path).
    func receive(_ view: RtpView, in bytes: UnsafeRawBufferPointer, now: Double) -> Bool {
        let level = audioLevelExtensionId.flatMap { view.audioLevel(extensionId: $0, in: bytes) }
        return receive(payloadType: view.payloadType, ssrc: view.ssrc, sequence: view.sequenceNumber,
                       timestamp: view.timestamp, level: level,
                       payload: UnsafeRawBufferPointer(rebasing: bytes[view.payloadRange]), now: now)
    }

    private func receive(payloadType: UInt8, ssrc: UInt32, sequence: UInt16, timestamp: UInt32, level: AudioLevel?,
                         payload: UnsafeRawBufferPointer, now: Double) -> Bool {
        guard payloadType == self.payloadType else { return false }
        if statistics == nil { statistics = ReceiveStatistics(ssrc: ssrc) }
        statistics?.record(sequenceNumber: sequence, rtpTimestamp: timestamp, arrival: now)
        if let level { pendingLevel = min(pendingLevel ?? 127, level.level) }
        jitterBuffer.insert(sequence: sequence, timestamp: timestamp, payload: payload, now: now)
        started = true
        return true
    }

    /// Smoothed loudness as an RFC 6464 level (0 loudest, 127 silence); the mixer
    /// picks its speakers by it.
    private(set) var loudness = 127.0
    /// This tick's level from the RTP extension, taken by `beginTick`.
    private var tickLevel: UInt8?
    /// Skipped packets leave the decoder's state stale; reset before decoding again.
    private var decoderIsStale = false

    /// The decoder, created or reset as needed before a frame is decoded.
    private func activeDecoder() -> OpusAudioDecoder? {
        if let decoder {
            if decoderIsStale { decoder.reset() }
            decoderIsStale = false
            return decoder
        }
        decoderIsStale = false
        decoder = try? OpusAudioDecoder(channels: 1)
        return decoder
    }

    /// Whether a decoder is held right now (tests).
    var holdsDecoder: Bool { decoder != nil }

    /// Whether the level has to come from decoded audio (no RFC 6464 extension).
    var needsDecodeForLevel: Bool { audioLevelExtensionId == nil }

    /// Folds the levels the client sent since the last tick into `loudness`; a
    /// tick without packets counts as silence (DTX, or the client stopped sending).
    func beginTick() {
        guard audioLevelExtensionId != nil else { return }
        let level = pendingLevel ?? 127
        pendingLevel = nil
        tickLevel = level
        smooth(level)
    }

    /// The level `beginTick` took in for this tick (127 when none came), until the
    /// tick's frame is taken; nil for a stream whose level comes from decoding it.
    var levelThisTick: UInt8? { audioLevelExtensionId == nil ? nil : tickLevel }

    /// A level arrived since the last `beginTick`.
    var hasPendingLevel: Bool { pendingLevel != nil }

    /// True (and the loudness set to exactly 127) once the smoothed level is within a
    /// hundredth of silence with no level waiting: folding in more silence would
    /// change nothing. Never for a stream whose level comes from decoding it.
    func settleIfSilent() -> Bool {
        guard audioLevelExtensionId != nil, pendingLevel == nil, loudness > 126.99 else { return false }
        loudness = 127
        return true
    }

    private func smooth(_ level: UInt8) {
        loudness = 0.6 * loudness + 0.4 * Double(level)
    }

    /// One 20 ms frame for the mixer, or nil when the stream has nothing to say
    /// (not started, not decoded, or silent long enough that concealment would only
    /// add noise). `decode: false` consumes the frame without decoding it (the
    /// speaker is not being mixed). Also returns a talking-state change, if any.
    /// `opus` is the packet played this tick as received (nil when it was lost or the
    /// buffer ran dry), which the mixer may forward as is instead of re-encoding it.
    func nextFrame(now: Double, decode: Bool = true) -> (pcm: [Int16]?, opus: [UInt8]?, talkingChanged: Bool?, decodeError: Bool) {
        guard started else { return (nil, nil, nil, false) }
        var pcm: [Int16]?
        var decodeError = false
        let output = jitterBuffer.pop(now: now)
        var opus: [UInt8]?
        if case .packet(let payload) = output { opus = payload }
        if !decode {
            if case .packet = output { decoderIsStale = true }
            framesSinceDecode += 1
            if framesSinceDecode > Self.decoderIdleFrames { decoder = nil }
        } else if let decoder = activeDecoder() {
            framesSinceDecode = 0
            switch output {
            case .packet(let payload):
                concealedInARow = 0
                do { pcm = try decoder.decode(payload) } catch {
                    decodeError = true
                    pcm = decoder.decodeLoss()
                }
            case .lost(let next):
                concealedInARow += 1
                if concealedInARow <= 5 {
                    pcm = next.map { decoder.decodeFec($0) } ?? decoder.decodeLoss()
                }
            case .empty:
                concealedInARow += 1
            }
        } else {
            decodeError = true
        }
        let changed: Bool?
        if audioLevelExtensionId != nil {
            changed = talkingDetector.update(level: tickLevel, pcm: nil, now: now)
            tickLevel = nil
        } else {
            smooth(pcm.map { TalkingDetector.level(of: $0) } ?? 127)
            changed = talkingDetector.update(level: nil, pcm: pcm, now: now)
        }
        return (pcm, opus, changed, decodeError)
    }
}
