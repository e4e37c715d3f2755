/// USE-CANDIDATE (RFC 8445 §7.1.2): empty flag by which the controlling agent nominates a pair.
public struct StunUseCandidate: StunAttribute, Hashable, Sendable {
    public static let attributeType = StunAttributeType.useCandidate

    public init() {}

    public init(value: [UInt8], transactionId: [UInt8]) throws {
        guard value.isEmpty else { throw MediaError.malformedPacket("stun: use-candidate") }
    }

    public func encodeValue(transactionId: [UInt8]) -> [UInt8] { [] }
}
