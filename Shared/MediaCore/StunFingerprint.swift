/// FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message up to this attribute,
/// XOR 0x5354554E; always the last attribute. Lets us tell STUN from other
/// traffic on the same port.
public struct StunFingerprint: StunAttribute, Hashable, Sendable {
    public static let attributeType = StunAttributeType.fingerprint
    static let xorValue: UInt32 = 0x5354_554E

    public var crc: UInt32

    public init(crc: UInt32) { self.crc = crc }

    public init(value: [UInt8], transactionId: [UInt8]) throws {
        crc = try StunValueCoding.decodeUInt32(value, attribute: "fingerprint")
    }

    public func encodeValue(transactionId: [UInt8]) -> [UInt8] { StunValueCoding.encode(crc) }

    static func compute(over bytes: [UInt8]) -> UInt32 {
        Crc32.checksum(bytes) ^ xorValue
    }

    /// True when the message ends with a FINGERPRINT that matches.
    public static func verify(_ bytes: [UInt8]) -> Bool {
        guard let layout = try? StunMessage.layout(of: bytes), let last = layout.last,
              last.type == attributeType,
              let fingerprint = try? StunFingerprint(value: last.value, transactionId: []) else { return false }
        return compute(over: Array(bytes[0..<last.offset])) == fingerprint.crc
    }
}
