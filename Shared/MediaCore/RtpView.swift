/// One RTP packet's header fields and where its extension and payload lie, read in
/// place from the bytes (no copies): the receive path's parser, which `RtpPacket`
/// builds on. Same checks as RFC 3550 §5.1 asks of a receiver.
public struct RtpView {
    public let marker: Bool
    public let payloadType: UInt8
    public let sequenceNumber: UInt16
    public let timestamp: UInt32
    public let ssrc: UInt32
    public let csrcCount: Int
    /// The extension's profile and its element bytes (after the 4-byte header), if present.
    public let extensionProfile: UInt16?
    public let extensionRange: Range<Int>
    public let payloadRange: Range<Int>
    public let paddingLength: UInt8

    public init(parsing bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count >= 12 else { throw MediaError.truncatedPacket }
        let first = bytes[0]
        guard first >> 6 == RtpPacket.version else { throw MediaError.unsupportedVersion(Int(first >> 6)) }
        marker = bytes[1] & 0x80 != 0
        payloadType = bytes[1] & 0x7F
        sequenceNumber = UInt16(Self.bigEndian(bytes, at: 2, width: 2))
        timestamp = Self.bigEndian(bytes, at: 4, width: 4)
        ssrc = Self.bigEndian(bytes, at: 8, width: 4)
        csrcCount = Int(first & 0x0F)
        var offset = 12 + 4 * csrcCount
        guard offset <= bytes.count else { throw MediaError.truncatedPacket }
        if first & 0x10 != 0 {
            guard offset + 4 <= bytes.count else { throw MediaError.truncatedPacket }
            let length = Int(Self.bigEndian(bytes, at: offset + 2, width: 2)) * 4
            guard offset + 4 + length <= bytes.count else { throw MediaError.truncatedPacket }
            extensionProfile = UInt16(Self.bigEndian(bytes, at: offset, width: 2))
            extensionRange = (offset + 4)..<(offset + 4 + length)
            offset += 4 + length
        } else {
            extensionProfile = nil
            extensionRange = offset..<offset
        }
        var payloadEnd = bytes.count
        paddingLength = first & 0x20 != 0 ? bytes[bytes.count - 1] : 0
        if first & 0x20 != 0 {
            guard paddingLength > 0, Int(paddingLength) <= bytes.count - offset else {
                throw MediaError.malformedPacket("rtp: padding")
            }
            payloadEnd -= Int(paddingLength)
        }
        payloadRange = offset..<payloadEnd
    }

    /// The CSRC at `index` (< csrcCount).
    public func csrc(_ index: Int, in bytes: UnsafeRawBufferPointer) -> UInt32 {
        Self.bigEndian(bytes, at: 12 + 4 * index, width: 4)
    }

    /// The RFC 6464 level carried under extension `id`, if present and the block is well-formed.
    public func audioLevel(extensionId id: UInt8, in bytes: UnsafeRawBufferPointer) -> AudioLevel? {
        guard let profile = extensionProfile else { return nil }
        var level: AudioLevel?
        let wellFormed = RtpHeaderExtension.forEachElement(profile: profile, in: UnsafeRawBufferPointer(rebasing: bytes[extensionRange])) { elementId, data in
            if level == nil, elementId == id, let byte = data.first {
                level = AudioLevel(voiceActivity: byte & 0x80 != 0, level: byte & 0x7F)
            }
        }
        return wellFormed ? level : nil
    }

    private static func bigEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int, width: Int) -> UInt32 {
        var value: UInt32 = 0
        for index in offset..<offset + width { value = value << 8 | UInt32(bytes[index]) }
        return value
    }
}
