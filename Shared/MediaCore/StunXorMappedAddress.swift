/// XOR-MAPPED-ADDRESS (RFC 8489 §14.2): the address the request came from,
/// XOR-ed with the magic cookie (and the transaction id for IPv6) so NATs that
/// rewrite addresses in payloads leave it alone.
public struct StunXorMappedAddress: StunAttribute, Hashable, Sendable {
    public static let attributeType = StunAttributeType.xorMappedAddress

    public var address: TransportAddress

    public init(_ address: TransportAddress) { self.address = address }

    public init(value: [UInt8], transactionId: [UInt8]) throws {
        var reader = ByteReader(value)
        guard reader.skip(1), let family = reader.readUInt8(), let xPort = reader.readUInt16() else {
            throw MediaError.malformedPacket("stun: xor-mapped-address")
        }
        let size: Int
        switch family {
        case 0x01: size = 4
        case 0x02: size = 16
        default: throw MediaError.malformedPacket("stun: address family")
        }
        guard let xAddress = reader.readBytes(size), reader.remaining == 0,
              let address = TransportAddress(ipBytes: Self.xor(xAddress, transactionId: transactionId),
                                             port: xPort ^ UInt16(StunMessage.magicCookie >> 16)) else {
            throw MediaError.malformedPacket("stun: xor-mapped-address")
        }
        self.address = address
    }

    public func encodeValue(transactionId: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0, address.isIPv6 ? 0x02 : 0x01]
        out.appendUInt16(address.port ^ UInt16(StunMessage.magicCookie >> 16))
        out += Self.xor(address.ip, transactionId: transactionId)
        return out
    }

    /// XOR is its own inverse, so this both encodes and decodes.
    private static func xor(_ ip: [UInt8], transactionId: [UInt8]) -> [UInt8] {
        var mask: [UInt8] = []
        mask.appendUInt32(StunMessage.magicCookie)
        mask += (transactionId + [UInt8](repeating: 0, count: 12)).prefix(12)
        return zip(ip, mask).map { $0 ^ $1 }
    }
}
