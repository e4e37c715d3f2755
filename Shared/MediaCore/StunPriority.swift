/// PRIORITY (RFC 8445 §7.1.1): the priority a peer-reflexive candidate would get.
public struct StunPriority: StunAttribute, Hashable, Sendable {
    public static let attributeType = StunAttributeType.priority

    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    public init(value: [UInt8], transactionId: [UInt8]) throws {
        self.value = try StunValueCoding.decodeUInt32(value, attribute: "priority")
    }

    public func encodeValue(transactionId: [UInt8]) -> [UInt8] { StunValueCoding.encode(value) }
}
