/// ERROR-CODE (RFC 8489 §14.8): class (hundreds) and number in separate fields, then a reason phrase.
public struct StunErrorCode: StunAttribute, Hashable, Sendable {
    public static let attributeType = StunAttributeType.errorCode

    /// 300...699, e.g. 400 Bad Request, 401 Unauthorized, 487 Role Conflict.
    public var code: Int
    public var reason: String

    public init(code: Int, reason: String) {
        self.code = code
        self.reason = reason
    }

    public init(value: [UInt8], transactionId: [UInt8]) throws {
        var reader = ByteReader(value)
        guard reader.skip(2), let hundreds = reader.readUInt8(), let number = reader.readUInt8(),
              (3...6).contains(hundreds & 0x07), number < 100,
              let reasonBytes = reader.readBytes(reader.remaining), reasonBytes.count <= 763,
              let reason = String(validating: reasonBytes, as: UTF8.self) else {
            throw MediaError.malformedPacket("stun: error-code")
        }
        self.code = Int(hundreds & 0x07) * 100 + Int(number)
        self.reason = reason
    }

    public func encodeValue(transactionId: [UInt8]) -> [UInt8] {
        let clamped = min(max(code, 300), 699)
        return [0, 0, UInt8(clamped / 100), UInt8(clamped % 100)] + Array(reason.utf8)
    }
}
