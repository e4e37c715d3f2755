/// One reception report (RFC 3550 §6.4.1), 24 bytes, in SR and RR packets.
public struct ReportBlock: Hashable, Sendable {
    public static let size = 24

    public var ssrc: UInt32
    /// Fraction lost since the last report, fixed point /256.
    public var fractionLost: UInt8
    /// Cumulative packets lost, a signed 24-bit value (duplicates can make it negative).
    public var cumulativeLost: Int32
    public var extendedHighestSequence: UInt32
    /// Interarrival jitter in timestamp units.
    public var jitter: UInt32
    /// Middle 32 bits of the last SR's NTP timestamp, 0 if none.
    public var lastSenderReport: UInt32
    /// Delay since that SR in 1/65536 s.
    public var delaySinceLastSenderReport: UInt32

    public init(ssrc: UInt32, fractionLost: UInt8, cumulativeLost: Int32, extendedHighestSequence: UInt32,
                jitter: UInt32, lastSenderReport: UInt32, delaySinceLastSenderReport: UInt32) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = min(max(cumulativeLost, -0x80_0000), 0x7F_FFFF)
        self.extendedHighestSequence = extendedHighestSequence
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }

    init?(reader: inout ByteReader) {
        guard let ssrc = reader.readUInt32(), let fraction = reader.readUInt8(), let lost = reader.readUInt24(),
              let highest = reader.readUInt32(), let jitter = reader.readUInt32(),
              let lsr = reader.readUInt32(), let dlsr = reader.readUInt32() else { return nil }
        // Sign-extend the 24-bit field.
        let signed = Int32(bitPattern: lost << 8) >> 8
        self.init(ssrc: ssrc, fractionLost: fraction, cumulativeLost: signed, extendedHighestSequence: highest,
                  jitter: jitter, lastSenderReport: lsr, delaySinceLastSenderReport: dlsr)
    }

    func write(to out: inout [UInt8]) {
        out.appendUInt32(ssrc)
        out.append(fractionLost)
        out.appendUInt24(UInt32(bitPattern: cumulativeLost) & 0xFF_FFFF)
        out.appendUInt32(extendedHighestSequence)
        out.appendUInt32(jitter)
        out.appendUInt32(lastSenderReport)
        out.appendUInt32(delaySinceLastSenderReport)
    }

    static func readBlocks(count: UInt8, from reader: inout ByteReader) throws -> [ReportBlock] {
        try (0..<Int(count)).map { _ in
            guard let block = ReportBlock(reader: &reader) else { throw MediaError.truncatedPacket }
            return block
        }
    }
}
