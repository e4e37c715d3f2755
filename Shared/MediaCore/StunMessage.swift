/// A STUN message (RFC 8489 §5): 20-byte header, then TLV attributes, each
/// padded to 4 bytes. Parsing never traps: bad input throws `MediaError`.
public struct StunMessage: Hashable, Sendable {
    public static let magicCookie: UInt32 = 0x2112_A442
    public static let headerSize = 20

    public var type: StunMessageType
    /// 96-bit transaction id (12 bytes).
    public var transactionId: [UInt8]
    public var attributes: [StunRawAttribute]

    public init(type: StunMessageType, transactionId: [UInt8], attributes: [StunRawAttribute] = []) {
        self.type = type
        self.transactionId = transactionId
        self.attributes = attributes
    }

    public static func randomTransactionId() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<12).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    public init(parsing bytes: [UInt8]) throws {
        let layout = try StunMessage.layout(of: bytes)
        self.type = StunMessageType(rawValue: UInt16(bytes[0]) << 8 | UInt16(bytes[1]))
        self.transactionId = Array(bytes[8..<20])
        self.attributes = layout.map { StunRawAttribute(type: $0.type, value: $0.value) }
    }

    /// First attribute of the given kind; nil if absent or its value is malformed.
    public func attribute<A: StunAttribute>(_ kind: A.Type) -> A? {
        guard let raw = attributes.first(where: { $0.type == kind.attributeType }) else { return nil }
        return try? A(value: raw.value, transactionId: transactionId)
    }

    public func contains(_ type: UInt16) -> Bool {
        attributes.contains { $0.type == type }
    }

    public mutating func append<A: StunAttribute>(_ attribute: A) {
        attributes.append(StunRawAttribute(type: A.attributeType,
                                           value: attribute.encodeValue(transactionId: transactionId)))
    }

    /// Serializes the attributes as they are (integrity/fingerprint values included verbatim).
    public func serialize() -> [UInt8] {
        var out = header(bodyLength: 0)
        for attribute in attributes { out += attribute.encoded() }
        out.setUInt16(UInt16(truncatingIfNeeded: out.count - Self.headerSize), at: 2)
        return out
    }

    /// Serializes, then appends MESSAGE-INTEGRITY (if a key is given) and FINGERPRINT,
    /// each computed with the length field covering that attribute (RFC 8489 §14.5/§14.7).
    public func serialize(integrityKey: [UInt8]?, addFingerprint: Bool) -> [UInt8] {
        var out = StunMessage(type: type, transactionId: transactionId,
                              attributes: attributes.filter {
                                  $0.type != StunAttributeType.messageIntegrity && $0.type != StunAttributeType.fingerprint
                              }).serialize()
        if let key = integrityKey {
            out.setUInt16(UInt16(truncatingIfNeeded: out.count - Self.headerSize + 24), at: 2)
            let mac = StunMessageIntegrity.compute(over: out, key: key)
            out += StunRawAttribute(type: StunAttributeType.messageIntegrity, value: mac).encoded()
        }
        if addFingerprint {
            out.setUInt16(UInt16(truncatingIfNeeded: out.count - Self.headerSize + 8), at: 2)
            let crc = StunFingerprint.compute(over: out)
            out += StunRawAttribute(type: StunAttributeType.fingerprint,
                                    value: StunFingerprint(crc: crc).encodeValue(transactionId: transactionId)).encoded()
        }
        return out
    }

    private func header(bodyLength: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.headerSize + 64)
        out.appendUInt16(type.rawValue)
        out.appendUInt16(UInt16(truncatingIfNeeded: bodyLength))
        out.appendUInt32(Self.magicCookie)
        // A wrong-sized id is normalised rather than trusted.
        out += (transactionId + [UInt8](repeating: 0, count: 12)).prefix(12)
        return out
    }

    /// Where one attribute sits in a message; integrity checks need the offset.
    struct AttributeLocation {
        var type: UInt16
        var offset: Int
        var value: [UInt8]
    }

    /// Validates the header and walks the attributes.
    static func layout(of bytes: [UInt8]) throws -> [AttributeLocation] {
        var reader = ByteReader(bytes)
        guard let rawType = reader.readUInt16(), let length = reader.readUInt16(),
              let cookie = reader.readUInt32(), reader.skip(12) else { throw MediaError.truncatedPacket }
        guard rawType & 0xC000 == 0 else { throw MediaError.malformedPacket("stun: top bits set") }
        guard cookie == magicCookie else { throw MediaError.malformedPacket("stun: magic cookie") }
        guard Int(length) % 4 == 0, Int(length) == bytes.count - headerSize else {
            throw MediaError.malformedPacket("stun: length")
        }
        var locations: [AttributeLocation] = []
        while reader.remaining > 0 {
            let offset = reader.offset
            guard let type = reader.readUInt16(), let valueLength = reader.readUInt16(),
                  let value = reader.readBytes(Int(valueLength)),
                  reader.skip((4 - Int(valueLength) % 4) % 4) else {
                throw MediaError.malformedPacket("stun: attribute overruns message")
            }
            locations.append(AttributeLocation(type: type, offset: offset, value: value))
        }
        return locations
    }
}
