/// What the media server needs from a browser's audio offer (RFC 8829 subset).
public struct AudioOffer: Hashable, Sendable {
    public static let audioLevelUri = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"

    public var iceUfrag: String
    public var icePassword: String
    /// All offered fingerprints (aiortc sends sha-256, sha-384 and sha-512).
    public var fingerprints: [SdpFingerprint]
    /// "actpass", "active" or "passive"; nil if absent.
    public var setup: String?
    public var mid: String
    public var opusPayloadType: UInt8
    public var opus: OpusParameters
    public var audioLevelExtensionId: UInt8?
    public var remoteSsrc: UInt32?
    /// UDP candidates with component 1 found in the offer (TCP and RTCP components dropped).
    public var candidates: [IceCandidate]
    public var rtcpMux: Bool
    public var trickle: Bool
    public var endOfCandidates: Bool

    public init(parsing text: String) throws {
        try self.init(try SessionDescription(parsing: text))
    }

    public init(_ sdp: SessionDescription) throws {
        let audioSections = sdp.mediaSections.filter { $0.media == "audio" && $0.port != 0 }
        guard let (section, opusPT) = audioSections.lazy.compactMap({ s in Self.opusPayloadType(in: s).map { (s, $0) } }).first else {
            throw MediaError.sdpNoAudio
        }
        let media = section.attributes
        let session = sdp.attributes
        func either(_ name: String) -> String? { media.first(name) ?? session.first(name) }

        guard let ufrag = either("ice-ufrag") else { throw MediaError.sdpMissingField("ice-ufrag") }
        guard let password = either("ice-pwd") else { throw MediaError.sdpMissingField("ice-pwd") }
        let mediaFingerprints = media.all("fingerprint").compactMap(SdpFingerprint.init(attributeValue:))
        let fingerprints = mediaFingerprints.isEmpty
            ? session.all("fingerprint").compactMap(SdpFingerprint.init(attributeValue:)) : mediaFingerprints
        guard !fingerprints.isEmpty else { throw MediaError.sdpMissingField("fingerprint") }
        guard let mid = media.first("mid") else { throw MediaError.sdpMissingField("mid") }

        iceUfrag = ufrag
        icePassword = password
        self.fingerprints = fingerprints
        setup = either("setup")
        self.mid = mid
        opusPayloadType = opusPT
        opus = OpusParameters(fmtp: Self.formatParameters(for: opusPT, in: media))
        audioLevelExtensionId = Self.extensionId(for: Self.audioLevelUri, in: media)
        remoteSsrc = media.all("ssrc").lazy.compactMap { $0.split(separator: " ").first.flatMap { UInt32($0) } }.first
        candidates = media.all("candidate").compactMap { try? IceCandidate(parsing: $0) }
            .filter { $0.isUdp && $0.component == 1 }
        rtcpMux = media.has("rtcp-mux")
        let iceOptions = (media.all("ice-options") + session.all("ice-options")).flatMap { $0.split(separator: " ") }
        trickle = iceOptions.contains("trickle")
        endOfCandidates = media.has("end-of-candidates") || session.has("end-of-candidates")
    }

    /// The payload type whose rtpmap is opus/48000/2 (case-insensitive) and that the m-line lists.
    static func opusPayloadType(in section: SdpMediaSection) -> UInt8? {
        for rtpmap in section.attributes.all("rtpmap") {
            let parts = rtpmap.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let pt = UInt8(parts[0]), pt < 128,
                  parts[1].trimmingSpaces.lowercased() == "opus/48000/2",
                  section.formats.contains(String(pt)) else { continue }
            return pt
        }
        return nil
    }

    static func formatParameters(for payloadType: UInt8, in attributes: [SdpAttribute]) -> String? {
        for fmtp in attributes.all("fmtp") {
            let parts = fmtp.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0] == String(payloadType) { return String(parts[1]) }
        }
        return nil
    }

    /// `a=extmap:<id>[/<direction>] <uri> [attributes]`.
    static func extensionId(for uri: String, in attributes: [SdpAttribute]) -> UInt8? {
        for extmap in attributes.all("extmap") {
            let parts = extmap.split(separator: " ")
            guard parts.count >= 2, parts[1] == uri,
                  let idText = parts[0].split(separator: "/").first, let id = UInt8(idText),
                  (1...255).contains(id) else { continue }
            return id
        }
        return nil
    }
}
