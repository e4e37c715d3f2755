/// One packet out of a compound RTCP datagram.
public enum RtcpPacket: Hashable, Sendable {
    case senderReport(SenderReport)
    case receiverReport(ReceiverReport)
    case sourceDescription(SourceDescription)
    case goodbye(Goodbye)
    /// RTPFB (205), PSFB (206), XR (207), APP (204)...: kept raw, not interpreted.
    case other(packetType: UInt8, count: UInt8, body: [UInt8])

    public func serialize() -> [UInt8] {
        switch self {
        case .senderReport(let packet): return packet.serialize()
        case .receiverReport(let packet): return packet.serialize()
        case .sourceDescription(let packet): return packet.serialize()
        case .goodbye(let packet): return packet.serialize()
        case .other(let type, let count, let body): return RtcpHeader.frame(count: Int(count), packetType: type, body: body)
        }
    }
}

/// Walks a compound RTCP packet (RFC 3550 §6.1) packet by packet, using each
/// header's length, so unknown types are skipped without being understood.
public enum RtcpCompound {
    public static func parse(_ bytes: [UInt8]) throws -> [RtcpPacket] {
        var reader = ByteReader(bytes)
        var packets: [RtcpPacket] = []
        while reader.remaining > 0 {
            guard let first = reader.readUInt8(), let type = reader.readUInt8(), let words = reader.readUInt16(),
                  var body = reader.readBytes(Int(words) * 4) else { throw MediaError.truncatedPacket }
            guard first >> 6 == RtpPacket.version else { throw MediaError.unsupportedVersion(Int(first >> 6)) }
            if first & 0x20 != 0 {
                guard let padding = body.last, padding > 0, Int(padding) <= body.count else {
                    throw MediaError.malformedPacket("rtcp: padding")
                }
                body.removeLast(Int(padding))
            }
            packets.append(try packet(type: type, count: first & 0x1F, body: body))
        }
        guard !packets.isEmpty else { throw MediaError.truncatedPacket }
        return packets
    }

    public static func serialize(_ packets: [RtcpPacket]) -> [UInt8] {
        packets.flatMap { $0.serialize() }
    }

    private static func packet(type: UInt8, count: UInt8, body: [UInt8]) throws -> RtcpPacket {
        switch type {
        case RtcpHeader.senderReport: return .senderReport(try SenderReport(count: count, body: body))
        case RtcpHeader.receiverReport: return .receiverReport(try ReceiverReport(count: count, body: body))
        case RtcpHeader.sourceDescription: return .sourceDescription(try SourceDescription(count: count, body: body))
        case RtcpHeader.goodbye: return .goodbye(try Goodbye(count: count, body: body))
        default: return .other(packetType: type, count: count, body: body)
        }
    }
}
