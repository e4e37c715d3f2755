/// Writes the ICE-lite, DTLS-passive, single-Opus answer to an `AudioOffer`.
/// Every value the browser checks comes from the offer (PT, mid, extmap id).
public struct SdpAnswerBuilder: Sendable {
    public var offer: AudioOffer
    public var iceUfrag: String
    public var icePassword: String
    /// Our certificate's SHA-256 as "AA:BB:...".
    public var fingerprintSha256: String
    /// Host candidates; the first one also fills m=, c= and a=rtcp.
    public var hostCandidates: [TransportAddress]
    public var ssrc: UInt32
    public var cname: String
    public var streamId: String
    public var trackId: String
    public var sessionId: UInt64
    public var sessionVersion: UInt64 = 2

    public init(offer: AudioOffer, iceUfrag: String, icePassword: String, fingerprintSha256: String,
                hostCandidates: [TransportAddress], ssrc: UInt32, cname: String,
                streamId: String = "parley", trackId: String = "mix", sessionId: UInt64) {
        self.offer = offer
        self.iceUfrag = iceUfrag
        self.icePassword = icePassword
        self.fingerprintSha256 = fingerprintSha256
        self.hostCandidates = hostCandidates
        self.ssrc = ssrc
        self.cname = cname
        self.streamId = streamId
        self.trackId = trackId
        self.sessionId = sessionId
    }

    /// The answer with CRLF line endings (RFC 8866 §5).
    public func build() -> String {
        let pt = offer.opusPayloadType
        let defaultAddress = hostCandidates.first
        let port = defaultAddress?.port ?? 9
        let connection = defaultAddress.map(Self.connectionAddress) ?? "IN IP4 0.0.0.0"
        // usedtx=1 asks the client for DTX (RFC 7587 §6.1, a receiver preference): a
        // silent participant then sends a packet every 400 ms instead of every 20 ms,
        // which is most of a meeting's inbound packets, as LiveKit does by default.
        let fmtp = "minptime=10;useinbandfec=1;usedtx=1"

        var lines = [
            "v=0",
            "o=- \(sessionId) \(sessionVersion) IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=ice-lite",
            "a=group:BUNDLE \(offer.mid)",
            "a=msid-semantic: WMS \(streamId)",
            "m=audio \(port) UDP/TLS/RTP/SAVPF \(pt)",
            "c=\(connection)",
            "a=rtcp:\(port) \(connection)",
            "a=ice-ufrag:\(iceUfrag)",
            "a=ice-pwd:\(icePassword)",
            "a=fingerprint:sha-256 \(fingerprintSha256)",
            "a=setup:passive",
            "a=mid:\(offer.mid)",
        ]
        if let id = offer.audioLevelExtensionId {
            lines.append("a=extmap:\(id) \(AudioOffer.audioLevelUri)")
        }
        lines += [
            "a=sendrecv",
            "a=rtcp-mux",
            "a=rtpmap:\(pt) opus/48000/2",
            "a=fmtp:\(pt) \(fmtp)",
            "a=ssrc:\(ssrc) cname:\(cname)",
            "a=ssrc:\(ssrc) msid:\(streamId) \(trackId)",
            "a=msid:\(streamId) \(trackId)",
        ]
        for (index, address) in hostCandidates.enumerated() {
            let candidate = IceCandidate(foundation: String(index + 1), component: 1, transport: "udp",
                                         priority: 2_130_706_431 - UInt32(index), address: address.ipString,
                                         port: address.port, type: "host")
            lines.append("a=\(candidate.attributeValue)")
        }
        lines.append("a=end-of-candidates")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    private static func connectionAddress(_ address: TransportAddress) -> String {
        "IN \(address.isIPv6 ? "IP6" : "IP4") \(address.ipString)"
    }
}
