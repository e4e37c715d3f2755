import Crypto

/// MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 over the message up to this
/// attribute, with the header length already counting it. ICE uses the short-term
/// credential: the key is the password bytes as they are.
public struct StunMessageIntegrity: StunAttribute, Hashable, Sendable {
    public static let attributeType = StunAttributeType.messageIntegrity
    public static let size = 20

    public var hmac: [UInt8]

    public init(hmac: [UInt8]) { self.hmac = hmac }

    public init(value: [UInt8], transactionId: [UInt8]) throws {
        guard value.count == Self.size else { throw MediaError.malformedPacket("stun: integrity size") }
        self.hmac = value
    }

    public func encodeValue(transactionId: [UInt8]) -> [UInt8] { hmac }

    static func compute(over bytes: [UInt8], key: [UInt8]) -> [UInt8] {
        Array(HMAC<Insecure.SHA1>.authenticationCode(for: bytes, using: SymmetricKey(data: key)))
    }

    /// Checks the first MESSAGE-INTEGRITY of a raw message. False when it is missing,
    /// wrong, or the message is malformed.
    public static func verify(_ bytes: [UInt8], key: [UInt8]) -> Bool {
        guard let layout = try? StunMessage.layout(of: bytes),
              let integrity = layout.first(where: { $0.type == attributeType }),
              integrity.value.count == size else { return false }
        var covered = Array(bytes[0..<integrity.offset])
        covered.setUInt16(UInt16(truncatingIfNeeded: integrity.offset - StunMessage.headerSize + 4 + size), at: 2)
        return constantTimeEquals(compute(over: covered, key: key), integrity.value)
    }

    private static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
