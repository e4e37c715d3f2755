@testable import MediaCore

/// An answer shaped like Janus's: full ICE (no `a=ice-lite`), `a=setup:active`
/// (it is the DTLS client), its host candidate in the SDP.
func fullIceActiveAnswer(ufrag: String, password: String, fingerprint: String, candidate: TransportAddress) -> String {
    [
        "v=0", "o=- 1 1 IN IP4 \(candidate.ipString)", "s=-", "t=0 0", "a=group:BUNDLE 0",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 \(candidate.ipString)",
        "a=sendrecv", "a=mid:0", "a=rtcp-mux", "a=ice-ufrag:\(ufrag)", "a=ice-pwd:\(password)",
        "a=ice-options:trickle", "a=fingerprint:sha-256 \(fingerprint)", "a=setup:active",
        "a=rtpmap:111 opus/48000/2", "a=extmap:1 \(AudioOffer.audioLevelUri)", "a=ssrc:1234 cname:janus",
        "a=candidate:1 1 udp 2015363327 \(candidate.ipString) \(candidate.port) typ host", "a=end-of-candidates",
    ].joined(separator: "\r\n") + "\r\n"
}
