/// ICE-CONTROLLING (RFC 8445 §16.1): the sender is the controlling agent.
public struct StunIceControlling: StunAttribute, Hashable, Sendable {
    public static let attributeType = StunAttributeType.iceControlling

    public var tieBreaker: UInt64

    public init(tieBreaker: UInt64) { self.tieBreaker = tieBreaker }

    public init(value: [UInt8], transactionId: [UInt8]) throws {
        tieBreaker = try StunValueCoding.decodeUInt64(value, attribute: "ice-controlling")
    }

    public func encodeValue(transactionId: [UInt8]) -> [UInt8] { StunValueCoding.encode(tieBreaker) }
}
