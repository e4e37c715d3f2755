/// SOFTWARE (RFC 8489 §14.14): free-text agent description, < 128 characters.
public struct StunSoftware: StunAttribute, Hashable, Sendable {
    public static let attributeType = StunAttributeType.software
    static let maxBytes = 763

    public var value: String

    public init(_ value: String) { self.value = value }

    public init(value: [UInt8], transactionId: [UInt8]) throws {
        self.value = try StunValueCoding.decodeText(value, maxBytes: Self.maxBytes, attribute: "software")
    }

    public func encodeValue(transactionId: [UInt8]) -> [UInt8] { Array(value.utf8) }
}
