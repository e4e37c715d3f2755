/// USERNAME (RFC 8489 §14.3). For ICE: "<receiver ufrag>:<sender ufrag>".
public struct StunUsername: StunAttribute, Hashable, Sendable {
    public static let attributeType = StunAttributeType.username
    static let maxBytes = 513

    public var value: String

    public init(_ value: String) { self.value = value }

    public init(value: [UInt8], transactionId: [UInt8]) throws {
        self.value = try StunValueCoding.decodeText(value, maxBytes: Self.maxBytes, attribute: "username")
    }

    public func encodeValue(transactionId: [UInt8]) -> [UInt8] { Array(value.utf8) }
}
