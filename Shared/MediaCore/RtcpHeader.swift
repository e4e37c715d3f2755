/// The common 4-byte RTCP header (RFC 3550 §6.4): V=2, P, a 5-bit count, type,
/// and the length in 32-bit words minus one.
struct RtcpHeader {
    static let senderReport: UInt8 = 200
    static let receiverReport: UInt8 = 201
    static let sourceDescription: UInt8 = 202
    static let goodbye: UInt8 = 203

    var count: UInt8
    var packetType: UInt8

    /// Header plus body, body zero-padded to a word so the length field is exact.
    static func frame(count: Int, packetType: UInt8, body: [UInt8]) -> [UInt8] {
        let padded = body + [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
        var out: [UInt8] = [RtpPacket.version << 6 | UInt8(min(count, 31)), packetType]
        out.appendUInt16(UInt16(truncatingIfNeeded: padded.count / 4))
        return out + padded
    }
}
