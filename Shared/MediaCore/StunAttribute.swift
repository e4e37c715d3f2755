/// Attribute type numbers used by this stack (RFC 8489 §18.3, RFC 8445 §16.1).
public enum StunAttributeType {
    public static let username: UInt16 = 0x0006
    public static let messageIntegrity: UInt16 = 0x0008
    public static let errorCode: UInt16 = 0x0009
    public static let xorMappedAddress: UInt16 = 0x0020
    public static let priority: UInt16 = 0x0024
    public static let useCandidate: UInt16 = 0x0025
    public static let software: UInt16 = 0x8022
    public static let fingerprint: UInt16 = 0x8028
    public static let iceControlled: UInt16 = 0x8029
    public static let iceControlling: UInt16 = 0x802A
}

/// One attribute as it sits on the wire, without its padding. Unknown types
/// survive a parse/serialize round trip untouched.
public struct StunRawAttribute: Hashable, Sendable {
    public var type: UInt16
    public var value: [UInt8]

    public init(type: UInt16, value: [UInt8]) {
        self.type = type
        self.value = value
    }

    /// TLV bytes including zero padding to a 4-byte boundary.
    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4 + value.count + 3)
        out.appendUInt16(type)
        out.appendUInt16(UInt16(truncatingIfNeeded: value.count))
        out += value
        out += [UInt8](repeating: 0, count: (4 - value.count % 4) % 4)
        return out
    }
}

/// A typed attribute. The transaction id is passed because XOR-MAPPED-ADDRESS
/// (IPv6) mixes it into the value.
public protocol StunAttribute {
    static var attributeType: UInt16 { get }
    init(value: [UInt8], transactionId: [UInt8]) throws
    func encodeValue(transactionId: [UInt8]) -> [UInt8]
}
