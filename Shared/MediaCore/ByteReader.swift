/// Bounds-checked big-endian reader over a byte array. Every read returns nil
/// past the end, so parsers of peer-controlled bytes cannot trap.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { max(0, bytes.count - offset) }

    mutating func readUInt8() -> UInt8? {
        guard remaining >= 1 else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    // Fixed-width reads index the array directly: no temporary arrays on the packet path.
    mutating func readUInt16() -> UInt16? {
        readBigEndian(2).map { UInt16(truncatingIfNeeded: $0) }
    }

    mutating func readUInt24() -> UInt32? {
        readBigEndian(3).map { UInt32(truncatingIfNeeded: $0) }
    }

    mutating func readUInt32() -> UInt32? {
        readBigEndian(4).map { UInt32(truncatingIfNeeded: $0) }
    }

    mutating func readUInt64() -> UInt64? {
        readBigEndian(8)
    }

    private mutating func readBigEndian(_ width: Int) -> UInt64? {
        guard remaining >= width else { return nil }
        var value: UInt64 = 0
        for index in offset..<offset + width { value = value << 8 | UInt64(bytes[index]) }
        offset += width
        return value
    }

    mutating func readBytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, remaining >= count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, remaining >= count else { return false }
        offset += count
        return true
    }
}

/// Big-endian appenders used by every serializer in the module.
extension Array where Element == UInt8 {
    mutating func appendUInt16(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    mutating func appendUInt24(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    mutating func appendUInt32(_ value: UInt32) {
        appendUInt16(UInt16(truncatingIfNeeded: value >> 16))
        appendUInt16(UInt16(truncatingIfNeeded: value))
    }

    mutating func appendUInt64(_ value: UInt64) {
        appendUInt32(UInt32(truncatingIfNeeded: value >> 32))
        appendUInt32(UInt32(truncatingIfNeeded: value))
    }

    /// Overwrites two bytes at `index` (used to patch length fields after the fact).
    mutating func setUInt16(_ value: UInt16, at index: Int) {
        guard index >= 0, index + 1 < count else { return }
        self[index] = UInt8(truncatingIfNeeded: value >> 8)
        self[index + 1] = UInt8(truncatingIfNeeded: value)
    }
}
