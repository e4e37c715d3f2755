/// RTCP BYE (RFC 3550 §6.6): the listed sources are leaving, with an optional reason.
public struct Goodbye: Hashable, Sendable {
    public var ssrcs: [UInt32]
    public var reason: String?

    public init(ssrcs: [UInt32], reason: String? = nil) {
        self.ssrcs = Array(ssrcs.prefix(31))
        self.reason = reason
    }

    init(count: UInt8, body: [UInt8]) throws {
        var reader = ByteReader(body)
        var ssrcs: [UInt32] = []
        for _ in 0..<Int(count) {
            guard let ssrc = reader.readUInt32() else { throw MediaError.truncatedPacket }
            ssrcs.append(ssrc)
        }
        var reason: String?
        if let length = reader.readUInt8(), length > 0 {
            guard let text = reader.readBytes(Int(length)) else { throw MediaError.truncatedPacket }
            reason = String(decoding: text, as: UTF8.self)
        }
        self.init(ssrcs: ssrcs, reason: reason)
    }

    public func serialize() -> [UInt8] {
        var body: [UInt8] = []
        ssrcs.prefix(31).forEach { body.appendUInt32($0) }
        if let reason {
            let text = Array(reason.utf8.prefix(255))
            body += [UInt8(text.count)] + text
        }
        return RtcpHeader.frame(count: ssrcs.count, packetType: RtcpHeader.goodbye, body: body)
    }
}
