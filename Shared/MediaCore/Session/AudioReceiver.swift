/// The receive half of one Opus stream: RTP in, 20 ms PCM frames out, with a
/// jitter buffer, loss concealment, FEC recovery, statistics and talking state.
final class AudioReceiver {
    let payloadType: UInt8
    let audioLevelExtensionId: UInt8?
    private var jitterBuffer = JitterBuffer()
    private let decoder: OpusAudioDecoder
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
        decoder = try OpusAudioDecoder(channels: 1)
    }

    var isTalking: Bool { talkingDetector.isTalking }
    var jitterBufferStats: JitterBufferStats { jitterBuffer.stats }

    /// Accepts one decrypted RTP packet; false when it is not our audio.
    func receive(_ packet: RtpPacket, now: Double) -> Bool {
        guard packet.payloadType == payloadType else { return false }
        if statistics == nil { statistics = ReceiveStatistics(ssrc: packet.ssrc) }
        statistics?.record(sequenceNumber: packet.sequenceNumber, rtpTimestamp: packet.timestamp, arrival: now)
        if let id = audioLevelExtensionId, let level = packet.audioLevel(extensionId: id) {
            pendingLevel = min(pendingLevel ?? 127, level.level)
        }
        jitterBuffer.insert(sequence: packet.sequenceNumber, timestamp: packet.timestamp, payload: packet.payload, now: now)
        started = true
        return true
    }

    /// One 20 ms frame for the mixer, or nil when the stream has nothing to say
    /// (not started, or silent long enough that concealment would only add noise).
    /// Also returns a talking-state change, if any.
    func nextFrame(now: Double) -> (pcm: [Int16]?, talkingChanged: Bool?, decodeError: Bool) {
        guard started else { return (nil, nil, false) }
        var pcm: [Int16]?
        var decodeError = false
        switch jitterBuffer.pop(now: now) {
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
        // Levels from RFC 6464 when the client sends them, else from the decoded signal;
        // a tick with neither counts as silence (DTX, or the client stopped sending).
        let level = pendingLevel
        pendingLevel = nil
        let changed = talkingDetector.update(level: level, pcm: level == nil && audioLevelExtensionId == nil ? pcm : nil, now: now)
        return (pcm, changed, decodeError)
    }
}
