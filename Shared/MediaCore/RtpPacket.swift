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
        self = try bytes.withUnsafeBytes { raw in
            let view = try RtpView(parsing: raw)
            return RtpPacket(marker: view.marker, payloadType: view.payloadType, sequenceNumber: view.sequenceNumber,
                             timestamp: view.timestamp, ssrc: view.ssrc,
                             csrcs: (0..<view.csrcCount).map { view.csrc($0, in: raw) },
                             headerExtension: view.extensionProfile.map {
                                 RtpHeaderExtension(profile: $0, payload: Array(raw[view.extensionRange]))
                             },
                             payload: Array(raw[view.payloadRange]), paddingLength: view.paddingLength)
        }
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
