/// One element of an RFC 8285 header extension block.
public struct RtpExtensionElement: Hashable, Sendable {
    public var id: UInt8
    public var data: [UInt8]

    public init(id: UInt8, data: [UInt8]) {
        self.id = id
        self.data = data
    }
}

/// The RTP header extension (RFC 3550 §5.3.1), with the RFC 8285 one-byte (0xBEDE)
/// and two-byte (0x100x) element formats decoded; other profiles kept raw.
public struct RtpHeaderExtension: Hashable, Sendable {
    public static let oneByteProfile: UInt16 = 0xBEDE
    public static let twoByteProfile: UInt16 = 0x1000

    public var profile: UInt16
    /// The extension payload without the 4-byte profile/length header.
    public var payload: [UInt8]

    public init(profile: UInt16, payload: [UInt8]) {
        self.profile = profile
        self.payload = payload
    }

    /// Builds a one-byte block when every element fits (id 1-14, 1-16 bytes), else two-byte.
    public init(elements: [RtpExtensionElement]) {
        let oneByte = elements.allSatisfy { (1...14).contains($0.id) && (1...16).contains($0.data.count) }
        var payload: [UInt8] = []
        for element in elements {
            if oneByte {
                payload.append(element.id << 4 | UInt8(element.data.count - 1))
            } else {
                payload += [element.id, UInt8(min(element.data.count, 255))]
            }
            payload += element.data.prefix(255)
        }
        payload += [UInt8](repeating: 0, count: (4 - payload.count % 4) % 4)
        self.init(profile: oneByte ? Self.oneByteProfile : Self.twoByteProfile, payload: payload)
    }

    public var isOneByte: Bool { profile == Self.oneByteProfile }
    public var isTwoByte: Bool { profile & 0xFFF0 == Self.twoByteProfile }

    /// Decoded elements; nil if the block is not RFC 8285 or is malformed.
    public var elements: [RtpExtensionElement]? {
        var result: [RtpExtensionElement] = []
        let wellFormed = payload.withUnsafeBytes { raw in
            Self.forEachElement(profile: profile, in: raw) { id, data in
                result.append(RtpExtensionElement(id: id, data: Array(data)))
            }
        }
        return wellFormed ? result : nil
    }

    /// Walks the RFC 8285 elements of an extension block in place; false when the
    /// profile is not RFC 8285 or the block is malformed (elements seen so far were visited).
    static func forEachElement(profile: UInt16, in bytes: UnsafeRawBufferPointer,
                               _ visit: (UInt8, UnsafeRawBufferPointer) -> Void) -> Bool {
        let oneByte = profile == oneByteProfile
        guard oneByte || profile & 0xFFF0 == twoByteProfile else { return false }
        var offset = 0
        while offset < bytes.count {
            let first = bytes[offset]
            offset += 1
            if first == 0 { continue } // padding
            let id: UInt8
            let length: Int
            if oneByte {
                id = first >> 4
                if id == 15 { break } // RFC 8285 §4.2: stop processing
                length = Int(first & 0x0F) + 1
            } else {
                guard offset < bytes.count else { return false }
                id = first
                length = Int(bytes[offset])
                offset += 1
            }
            guard offset + length <= bytes.count else { return false }
            visit(id, UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]))
            offset += length
        }
        return true
    }

    public func element(id: UInt8) -> [UInt8]? {
        elements?.first { $0.id == id }?.data
    }
}
