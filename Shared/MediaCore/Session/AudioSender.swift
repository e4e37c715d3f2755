/// The send half of one Opus stream: sequence numbers and timestamps that stay
/// continuous whatever happens in the room, plus sender statistics for SR.
struct AudioSender {
    let ssrc: UInt32
    let payloadType: UInt8
    let audioLevelExtensionId: UInt8?
    private(set) var sequence: UInt16
    private(set) var timestamp: UInt32
    private(set) var packetCount: UInt32 = 0
    private(set) var octetCount: UInt32 = 0
    private var first = true

    init(ssrc: UInt32, payloadType: UInt8, audioLevelExtensionId: UInt8?) {
        var random = SystemRandomNumberGenerator()
        self.ssrc = ssrc
        self.payloadType = payloadType
        self.audioLevelExtensionId = audioLevelExtensionId
        sequence = UInt16.random(in: 0...UInt16.max, using: &random)
        timestamp = UInt32.random(in: 0...UInt32.max, using: &random)
    }

    /// The RTP packet for the next 20 ms frame.
    mutating func packet(opus: [UInt8], level: AudioLevel? = nil) -> [UInt8] {
        let extensionHeader = zip(audioLevelExtensionId, level).map { RtpHeaderExtension(elements: [$1.element(id: $0)]) }
        let packet = RtpPacket(marker: first, payloadType: payloadType, sequenceNumber: sequence, timestamp: timestamp,
                               ssrc: ssrc, headerExtension: extensionHeader, payload: opus)
        first = false
        sequence &+= 1
        timestamp &+= 960
        packetCount &+= 1
        octetCount &+= UInt32(opus.count)
        return packet.serialize()
    }

    /// Skips a frame without sending (keeps the timestamp on the media clock).
    mutating func skipFrame() {
        timestamp &+= 960
    }

    /// RTP timestamp of the next frame, for Sender Reports.
    var currentTimestamp: UInt32 { timestamp }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
