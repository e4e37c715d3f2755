/// RTCP RR (RFC 3550 §6.4.2): reception reports from a participant that does not send.
public struct ReceiverReport: Hashable, Sendable {
    public var ssrc: UInt32
    public var reportBlocks: [ReportBlock]

    public init(ssrc: UInt32, reportBlocks: [ReportBlock] = []) {
        self.ssrc = ssrc
        self.reportBlocks = Array(reportBlocks.prefix(31))
    }

    init(count: UInt8, body: [UInt8]) throws {
        var reader = ByteReader(body)
        guard let ssrc = reader.readUInt32() else { throw MediaError.truncatedPacket }
        self.init(ssrc: ssrc, reportBlocks: try ReportBlock.readBlocks(count: count, from: &reader))
    }

    public func serialize() -> [UInt8] {
        var body: [UInt8] = []
        body.appendUInt32(ssrc)
        reportBlocks.prefix(31).forEach { $0.write(to: &body) }
        return RtcpHeader.frame(count: reportBlocks.count, packetType: RtcpHeader.receiverReport, body: body)
    }
}
