/// The client role (ICE controlling) of a WebRTC audio peer, for tests and the
/// load generator: makes an offer, applies the server's answer, sends Opus
/// frames and decodes what it receives. Against Parley (ICE-lite, passive) it
/// is the DTLS client; against a full-ICE answerer that says `a=setup:active`
/// (Janus) it also answers that side's checks and is the DTLS server.
public final class ClientPeer {
    public let offerSdp: String
    public private(set) var isConnected = false
    public private(set) var failure: SessionEvent?
    /// Sees every decrypted RTP packet with its arrival time (load generator statistics).
    public var onRtp: ((RtpPacket, Double) -> Void)?
    /// False when nobody calls `nextAudioFrame`: packets then skip the jitter buffer.
    public var buffersAudio = true
    /// False: RTP is neither decrypted nor authenticated; `onRtp` gets the clear header
    /// fields with an empty payload (load-generator listeners that only count packets).
    public var decryptsMedia = true

    private let localUfrag: String
    private let localPassword: String
    private let certificate: DtlsCertificate
    private var ice: IceClientAgent?
    /// Answers the remote side's connectivity checks (a full-ICE answerer sends them).
    private var responder: IceLiteAgent
    private var transport: SecureTransport?
    private var receiver: AudioReceiver?
    private var sender: AudioSender?
    private var serverAddress: TransportAddress?
    private var dtlsStarted = false
    /// What arrives of the server's stream, for the reception reports we send back.
    public private(set) var statistics: ReceiveStatistics?
    private var nextReportAt: Double?
    /// Browsers report audio reception every few seconds; the server plans its FEC on it.
    public static let reportInterval: Double = 2
    static let payloadType: UInt8 = 111
    static let audioLevelId: UInt8 = 1

    /// - Parameter localCandidate: the bound UDP address, offered as the one host
    ///   candidate (a full-ICE answerer checks it); nil offers none and trickles
    ///   nothing, as an ICE-lite server needs no candidate from us.
    public init(certificate: DtlsCertificate, fingerprintOverride: String? = nil,
                localCandidate: TransportAddress? = nil) {
        let credentials = IceLiteAgent.randomCredentials()
        localUfrag = credentials.ufrag
        localPassword = credentials.password
        responder = IceLiteAgent(localUfrag: credentials.ufrag, localPassword: credentials.password)
        self.certificate = certificate
        var random = SystemRandomNumberGenerator()
        let ssrc = UInt32.random(in: 1...UInt32.max, using: &random)
        let iceLines = localCandidate.map { Self.candidateLines($0) } ?? ["a=ice-options:trickle"]
        offerSdp = ([
            "v=0", "o=- \(UInt32.random(in: 1...UInt32.max, using: &random)) 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "a=group:BUNDLE 0", "a=msid-semantic: WMS",
            "m=audio 9 UDP/TLS/RTP/SAVPF \(Self.payloadType)", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:\(credentials.ufrag)", "a=ice-pwd:\(credentials.password)",
        ] + iceLines + [
            "a=fingerprint:sha-256 \(fingerprintOverride ?? certificate.fingerprint)", "a=setup:actpass", "a=mid:0",
            "a=extmap:\(Self.audioLevelId) \(AudioOffer.audioLevelUri)", "a=sendrecv", "a=msid:- track",
            "a=rtcp-mux", "a=rtpmap:\(Self.payloadType) opus/48000/2",
            "a=fmtp:\(Self.payloadType) minptime=10;useinbandfec=1", "a=ssrc:\(ssrc) cname:client\(ssrc)",
        ]).joined(separator: "\r\n") + "\r\n"
        sender = AudioSender(ssrc: ssrc, payloadType: Self.payloadType, audioLevelExtensionId: Self.audioLevelId)
    }

    /// Our one host candidate, complete: nothing will be trickled after it.
    static func candidateLines(_ address: TransportAddress) -> [String] {
        let candidate = IceCandidate(foundation: "1", component: 1, transport: "udp", priority: 2_130_706_431,
                                     address: address.ipString, port: address.port, type: "host")
        return ["a=\(candidate.attributeValue)", "a=end-of-candidates"]
    }

    /// DTLS client unless the answer takes the active role itself (`a=setup:active`).
    public private(set) var dtlsRole = DtlsRole.client

    /// Applies the server's answer: its ICE credentials, fingerprint, setup role and host candidate.
    public func apply(answerSdp: String) throws {
        let answer = try AudioOffer(parsing: answerSdp)
        guard let candidate = answer.candidates.first(where: { $0.isUdp })?.transportAddress else {
            throw MediaError.sdpMissingField("candidate")
        }
        var random = SystemRandomNumberGenerator()
        ice = IceClientAgent(localUfrag: localUfrag, localPassword: localPassword, remoteUfrag: answer.iceUfrag,
                             remotePassword: answer.icePassword, tieBreaker: UInt64.random(in: 0...UInt64.max, using: &random))
        responder.remoteUfrag = answer.iceUfrag
        dtlsRole = answer.setup == "active" ? .server : .client
        transport = try SecureTransport(role: dtlsRole, certificate: certificate, remoteFingerprint: answer.fingerprints.first)
        receiver = try AudioReceiver(payloadType: answer.opusPayloadType, audioLevelExtensionId: nil)
        serverAddress = candidate
    }

    /// First connectivity check (nominating, as a browser's aggressive nomination would).
    public func start(now: Double) -> [Transmit] {
        guard let serverAddress, let check = ice?.makeCheck(to: serverAddress, now: now, nominate: true) else { return [] }
        return [Transmit(bytes: check, to: serverAddress)]
    }

    public func receive(_ bytes: [UInt8], from source: TransportAddress, now: Double) -> [Transmit] {
        guard let transport, let serverAddress else { return [] }
        switch PacketDemux.classify(bytes) {
        case .stun:
            if Self.isBindingRequest(bytes) {
                let answer = responder.handleStun(bytes, from: source, now: now).response
                return answer.map { [Transmit(bytes: $0, to: source)] } ?? []
            }
            // Optional chaining mutates the agent in place (a copy would retain its every field).
            guard let ok = ice?.handleResponse(bytes, from: source, now: now) else { return [] }
            if ok && !dtlsStarted {
                dtlsStarted = true
                return transport.dtls.start(now: now).map { Transmit(bytes: $0, to: serverAddress) }
            }
            return []
        case .dtls:
            // As DTLS server the peer's ClientHello may beat our own check's answer.
            dtlsStarted = true
            let (datagrams, event) = transport.handleDtls(bytes, now: now)
            switch event {
            case .connected: isConnected = true
            case .failed, .closed: failure = event
            default: break
            }
            return datagrams.map { Transmit(bytes: $0, to: serverAddress) }
        case .rtp where !decryptsMedia:
            if let view = try? bytes.withUnsafeBytes({ try RtpView(parsing: $0) }) {
                recordReception(ssrc: view.ssrc, sequence: view.sequenceNumber, timestamp: view.timestamp, now: now)
                onRtp?(RtpPacket(payloadType: view.payloadType, sequenceNumber: view.sequenceNumber, timestamp: view.timestamp,
                                 ssrc: view.ssrc, payload: []), now)
            }
            return []
        case .rtp, .rtcp:
            if case .rtp(let plain) = transport.unprotect(bytes), let packet = try? RtpPacket(parsing: plain) {
                recordReception(ssrc: packet.ssrc, sequence: packet.sequenceNumber, timestamp: packet.timestamp, now: now)
                onRtp?(packet, now)
                if buffersAudio { _ = receiver?.receive(packet, now: now) }
            }
            return []
        default:
            return []
        }
    }

    static func isBindingRequest(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && (UInt16(bytes[0]) << 8 | UInt16(bytes[1])) == StunMessageType.bindingRequest.rawValue
    }

    /// Retransmits ICE checks and DTLS flights; consent checks once connected.
    public func handleTimeout(now: Double) -> [Transmit] {
        // Called every 20 ms for each of a load generator's peers: the agent is
        // mutated in place, as a copy would retain its every field.
        guard ice != nil, let transport, let serverAddress else { return [] }
        var out = (ice?.handleTimeout(now: now) ?? []).map { Transmit(bytes: $0.0, to: $0.1) }
        if dtlsStarted {
            out += transport.dtls.handleTimeout(now: now).map { Transmit(bytes: $0, to: serverAddress) }
        }
        if let report = receiverReportIfDue(now: now) { out.append(Transmit(bytes: report, to: serverAddress)) }
        return out
    }

    private func recordReception(ssrc: UInt32, sequence: UInt16, timestamp: UInt32, now: Double) {
        if statistics?.ssrc != ssrc { statistics = ReceiveStatistics(ssrc: ssrc) }
        statistics?.record(sequenceNumber: sequence, rtpTimestamp: timestamp, arrival: now)
    }

    /// An SRTCP receiver report on the server's stream, every `reportInterval` once media flows.
    private func receiverReportIfDue(now: Double) -> [UInt8]? {
        guard isConnected, let transport, let sender, var statistics else { return nil }
        guard let due = nextReportAt else {
            nextReportAt = now + Self.reportInterval
            return nil
        }
        guard now >= due else { return nil }
        nextReportAt = now + Self.reportInterval
        let block = statistics.makeReportBlock(now: now)
        self.statistics = statistics
        let report = ReceiverReport(ssrc: sender.ssrc, reportBlocks: [block])
        let sdes = SourceDescription(ssrc: sender.ssrc, cname: "client-\(sender.ssrc)")
        return transport.protectRtcp(RtcpCompound.serialize([.receiverReport(report), .sourceDescription(sdes)]))
    }

    /// Sends one encoded 20 ms frame with an RFC 6464 level.
    public func send(opus: [UInt8], level: UInt8 = 30) -> Transmit? {
        guard isConnected, let transport, let serverAddress, var sender else { return nil }
        let packet = sender.packet(opus: opus, level: AudioLevel(voiceActivity: level < 127, level: level))
        self.sender = sender
        return transport.protectRtp(packet).map { Transmit(bytes: $0, to: serverAddress) }
    }

    /// Sends nothing for `count` 20 ms frames (DTX, or a sender's clock that fell
    /// behind): the RTP timestamp advances, the sequence number does not.
    public func skipFrame(count: Int = 1) {
        sender?.skipFrame(count: count)
    }

    /// The next 20 ms of received audio (nil before anything arrived).
    public func nextAudioFrame(now: Double) -> [Int16]? {
        receiver?.nextFrame(now: now).pcm
    }

    public var counters: SessionCounters { transport?.counters ?? SessionCounters() }
}
