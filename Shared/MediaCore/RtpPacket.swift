/// An RTP packet (RFC 3550 §5.1). Padding is stripped on parse and recorded so
/// callers see only the payload.
public struct RtpPacket: Hashable, Sendable {
    public static let version: UInt8 = 2

    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    public var csrcs: [UInt32]
    public var headerExtension: RtpHeaderExtension?
    public var payload: [UInt8]
    /// Padding bytes to append on serialize (count includes the final length byte); 0 = none.
    public var paddingLength: UInt8

    public init(marker: Bool = false, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32,
                csrcs: [UInt32] = [], headerExtension: RtpHeaderExtension? = nil, payload: [UInt8],
                paddingLength: UInt8 = 0) {
        self.marker = marker
        self.payloadType = payloadType & 0x7F
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = Array(csrcs.prefix(15))
        self.headerExtension = headerExtension
        self.payload = payload
        self.paddingLength = paddingLength
    }

    public init(parsing bytes: [UInt8]) throws {
        var reader = ByteReader(bytes)
        guard let first = reader.readUInt8(), let second = reader.readUInt8(),
              let sequence = reader.readUInt16(), let timestamp = reader.readUInt32(),
              let ssrc = reader.readUInt32() else { throw MediaError.truncatedPacket }
        guard first >> 6 == Self.version else { throw MediaError.unsupportedVersion(Int(first >> 6)) }
        var csrcs: [UInt32] = []
        for _ in 0..<Int(first & 0x0F) {
            guard let csrc = reader.readUInt32() else { throw MediaError.truncatedPacket }
            csrcs.append(csrc)
        }
        var headerExtension: RtpHeaderExtension?
        if first & 0x10 != 0 {
            guard let profile = reader.readUInt16(), let words = reader.readUInt16(),
                  let payload = reader.readBytes(Int(words) * 4) else { throw MediaError.truncatedPacket }
            headerExtension = RtpHeaderExtension(profile: profile, payload: payload)
        }
        var payloadEnd = bytes.count
        var padding: UInt8 = 0
        if first & 0x20 != 0 {
            guard let last = bytes.last, last > 0, Int(last) <= reader.remaining else {
                throw MediaError.malformedPacket("rtp: padding")
            }
            padding = last
            payloadEnd -= Int(last)
        }
        self.init(marker: second & 0x80 != 0, payloadType: second & 0x7F, sequenceNumber: sequence,
                  timestamp: timestamp, ssrc: ssrc, csrcs: csrcs, headerExtension: headerExtension,
                  payload: Array(bytes[reader.offset..<payloadEnd]), paddingLength: padding)
    }

    public func serialize() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(12 + csrcs.count * 4 + payload.count + 32)
        var first = Self.version << 6 | UInt8(min(csrcs.count, 15))
        if paddingLength > 0 { first |= 0x20 }
        if headerExtension != nil { first |= 0x10 }
        out.append(first)
        out.append((marker ? 0x80 : 0) | (payloadType & 0x7F))
        out.appendUInt16(sequenceNumber)
        out.appendUInt32(timestamp)
        out.appendUInt32(ssrc)
        for csrc in csrcs.prefix(15) { out.appendUInt32(csrc) }
        if let headerExtension {
            // The length is in 32-bit words, so the payload is zero-padded to a word.
            let padded = headerExtension.payload + [UInt8](repeating: 0, count: (4 - headerExtension.payload.count % 4) % 4)
            out.appendUInt16(headerExtension.profile)
            out.appendUInt16(UInt16(truncatingIfNeeded: padded.count / 4))
            out += padded
        }
        out += payload
        if paddingLength > 0 {
            out += [UInt8](repeating: 0, count: Int(paddingLength) - 1)
            out.append(paddingLength)
        }
        return out
    }

    /// The RFC 6464 level carried under extension `id`, if present and well-formed.
    public func audioLevel(extensionId id: UInt8) -> AudioLevel? {
        headerExtension?.element(id: id).flatMap(AudioLevel.init(extensionData:))
    }
}
