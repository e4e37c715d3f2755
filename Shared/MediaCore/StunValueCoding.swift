/// Decoders/encoders shared by the attributes whose value is one number or one string.
enum StunValueCoding {
    static func decodeUInt32(_ value: [UInt8], attribute: String) throws -> UInt32 {
        var reader = ByteReader(value)
        guard value.count == 4, let number = reader.readUInt32() else { throw MediaError.malformedPacket("stun: \(attribute)") }
        return number
    }

    static func decodeUInt64(_ value: [UInt8], attribute: String) throws -> UInt64 {
        var reader = ByteReader(value)
        guard value.count == 8, let number = reader.readUInt64() else { throw MediaError.malformedPacket("stun: \(attribute)") }
        return number
    }

    /// UTF-8 text with a byte limit (RFC 8489 bounds USERNAME at 513, SOFTWARE at 763).
    static func decodeText(_ value: [UInt8], maxBytes: Int, attribute: String) throws -> String {
        guard value.count <= maxBytes, let text = String(validating: value, as: UTF8.self) else {
            throw MediaError.malformedPacket("stun: \(attribute)")
        }
        return text
    }

    static func encode(_ number: UInt32) -> [UInt8] {
        var out: [UInt8] = []
        out.appendUInt32(number)
        return out
    }

    static func encode(_ number: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        out.appendUInt64(number)
        return out
    }
}
