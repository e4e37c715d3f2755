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
        var bytes = [UInt8](repeating: 0, count: Self.headerRoom + opus.count)
        let length = bytes.withUnsafeMutableBytes { write(opus: opus, level: level, into: $0) }
        return Array(bytes.prefix(max(0, length)))
    }

    /// Fixed header plus a one-word RFC 8285 block carrying one RFC 6464 level.
    static let headerRoom = 12 + 8

    /// Writes the RTP packet for the next 20 ms frame at the start of `buffer` (no
    /// allocation) and returns its length, or -1 (nothing advanced) when it does not fit.
    mutating func write(opus: [UInt8], level: AudioLevel? = nil, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let extensionId = level == nil ? nil : audioLevelExtensionId
        let headerLength = extensionId == nil ? 12 : 20
        guard headerLength + opus.count <= buffer.count else { return -1 }
        buffer[0] = RtpPacket.version << 6 | (extensionId == nil ? 0 : 0x10)
        buffer[1] = (first ? 0x80 : 0) | (payloadType & 0x7F)
        Self.store(UInt32(sequence), width: 2, at: 2, in: buffer)
        Self.store(timestamp, width: 4, at: 4, in: buffer)
        Self.store(ssrc, width: 4, at: 8, in: buffer)
        if let extensionId, let level {
            // One-byte profile, one 32-bit word: element header (length 1 → 0), level, two bytes of padding.
            Self.store(UInt32(RtpHeaderExtension.oneByteProfile), width: 2, at: 12, in: buffer)
            Self.store(1, width: 2, at: 14, in: buffer)
            Self.store(UInt32(extensionId << 4) << 24 | UInt32(level.byte) << 16, width: 4, at: 16, in: buffer)
        }
        opus.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[headerLength...]).copyMemory(from: $0) }
        first = false
        sequence &+= 1
        timestamp &+= 960
        packetCount &+= 1
        octetCount &+= UInt32(opus.count)
        return headerLength + opus.count
    }

    private static func store(_ value: UInt32, width: Int, at offset: Int, in buffer: UnsafeMutableRawBufferPointer) {
        for index in 0..<width { buffer[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * (width - 1 - index))) }
    }

    /// Skips a frame without sending (keeps the timestamp on the media clock).
    mutating func skipFrame(count: Int = 1) {
        timestamp &+= UInt32(truncatingIfNeeded: 960 * max(0, count))
    }

    /// RTP timestamp of the next frame, for Sender Reports.
    var currentTimestamp: UInt32 { timestamp }
}
