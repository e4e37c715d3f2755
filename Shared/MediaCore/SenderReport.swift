/// RTCP SR (RFC 3550 §6.4.1): sender info plus reception reports.
public struct SenderReport: Hashable, Sendable {
    public var ssrc: UInt32
    /// 64-bit NTP timestamp (seconds since 1900 in 32.32 fixed point).
    public var ntpTimestamp: UInt64
    public var rtpTimestamp: UInt32
    public var packetCount: UInt32
    public var octetCount: UInt32
    public var reportBlocks: [ReportBlock]

    public init(ssrc: UInt32, ntpTimestamp: UInt64, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32,
                reportBlocks: [ReportBlock] = []) {
        self.ssrc = ssrc
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reportBlocks = Array(reportBlocks.prefix(31))
    }

    /// The middle 32 bits of the NTP timestamp, which receivers echo as LSR.
    public var compactNtp: UInt32 { UInt32(truncatingIfNeeded: ntpTimestamp >> 16) }

    init(count: UInt8, body: [UInt8]) throws {
        var reader = ByteReader(body)
        guard let ssrc = reader.readUInt32(), let ntp = reader.readUInt64(), let rtp = reader.readUInt32(),
              let packets = reader.readUInt32(), let octets = reader.readUInt32() else { throw MediaError.truncatedPacket }
        self.init(ssrc: ssrc, ntpTimestamp: ntp, rtpTimestamp: rtp, packetCount: packets, octetCount: octets,
                  reportBlocks: try ReportBlock.readBlocks(count: count, from: &reader))
    }

    public func serialize() -> [UInt8] {
        var body: [UInt8] = []
        body.appendUInt32(ssrc)
        body.appendUInt64(ntpTimestamp)
        body.appendUInt32(rtpTimestamp)
        body.appendUInt32(packetCount)
        body.appendUInt32(octetCount)
        reportBlocks.prefix(31).forEach { $0.write(to: &body) }
        return RtcpHeader.frame(count: reportBlocks.count, packetType: RtcpHeader.senderReport, body: body)
    }
}
