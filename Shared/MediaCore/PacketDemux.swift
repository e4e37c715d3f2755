/// What kind of packet arrived on the shared UDP port.
public enum PacketKind: Equatable, Sendable {
    case stun, dtls, rtp, rtcp, unknown
}

/// RFC 7983 §7 (with RFC 5761 §4 for RTP vs RTCP): the first byte picks the
/// protocol, so STUN, DTLS and SRTP can share one port.
public enum PacketDemux {
    public static func classify(_ bytes: [UInt8]) -> PacketKind {
        guard let first = bytes.first else { return .unknown }
        switch first {
        case 0...3:
            return .stun
        case 20...63:
            return .dtls
        case 128...191:
            // RTCP packet types 192-223 sit where RTP has marker bit + PT 64-95.
            guard bytes.count >= 2 else { return .unknown }
            return (192...223).contains(bytes[1]) ? .rtcp : .rtp
        default:
            return .unknown
        }
    }
}
