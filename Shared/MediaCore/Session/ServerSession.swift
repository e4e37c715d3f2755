import CShim

/// One participant's media session on the server: ICE-lite + DTLS server +
/// SRTP, receiving its Opus stream and sending it the room's mix. Sans-IO:
/// datagrams and time go in, datagrams and events come out.
public final class ServerSession {
    /// A session whose ICE/DTLS has not completed by then fails.
    public static let connectTimeout: Double = 30
    static let reportInterval: Double = 5

    // What wrapping a packet reads comes first, in the object's first cache lines:
    // a town hall's fan-out prefetches them for listeners it has not reached yet.
    public private(set) var isConnected = false
    public private(set) var isEnded = false
    private let transport: SecureTransport
    private var sender: AudioSender
    /// The send path's other objects (SRTP context, cipher, OpenSSL's context).
    private var sendPathMemory = PrefetchList()
    private var ice: IceLiteAgent
    /// What the participant reports losing of the mix we send it.
    public private(set) var downlinkLoss = DownlinkLoss()
    // Then what a listener's frame for the tick reads (`MixingRoom.takeListenerFrames`,
    // which prefetches these lines and the receiver ahead of use too).
    private let receiver: AudioReceiver
    public var muted = false
    private var events: [SessionEvent] = []

    public let participantId: String
    public let offer: AudioOffer
    public let answerSdp: String
    /// The DTLS-negotiated SRTP profile, once the keys are installed.
    public var srtpProfile: SrtpProfile? { transport.outbound?.profile }

    private let createdAt: Double
    private var nextReportAt: Double
    /// Sources that passed a STUN check, least recently validated first. Bounded: a peer
    /// behind a rebinding NAT (or replaying its own checks from new ports) must not grow it.
    public private(set) var validatedSources: [TransportAddress] = []
    public static let maxValidatedSources = 8
    /// The room's `LevelMarks`, set while the session is a member.
    var levelMarks: LevelMarks?
    /// In `levelMarks` since its last `take`.
    var isLevelMarked = false
    /// In the room's set of sessions its speaker selection walks (the room's to set).
    var isLevelHot = false
    private var lastCounters = SessionCounters()

    /// - Parameter defersSrtpSetup: when the handshake finishes, leave the keys for
    ///   `takeSrtpKeys()` and wait for `installSrtp(_:)` (a server builds the SRTP
    ///   contexts off its mixing thread) instead of building them inline.
    public init(participantId: String, offer: AudioOffer, certificate: DtlsCertificate,
                candidates: [TransportAddress], now: Double, defersSrtpSetup: Bool = false) throws {
        let credentials = IceLiteAgent.randomCredentials()
        var random = SystemRandomNumberGenerator()
        let ssrc = UInt32.random(in: 1...UInt32.max, using: &random)
        self.participantId = participantId
        self.offer = offer
        ice = IceLiteAgent(localUfrag: credentials.ufrag, localPassword: credentials.password, now: now)
        ice.remoteUfrag = offer.iceUfrag
        ice.remotePassword = offer.icePassword
        guard let fingerprint = offer.fingerprints.first(where: { DtlsFingerprint(algorithm: $0.algorithm, value: $0.hex) != nil }) else {
            throw MediaError.certificateError("the offer has no usable a=fingerprint")
        }
        transport = try SecureTransport(role: .server, certificate: certificate, remoteFingerprint: fingerprint)
        transport.defersSrtp = defersSrtpSetup
        receiver = try AudioReceiver(payloadType: offer.opusPayloadType, audioLevelExtensionId: offer.audioLevelExtensionId)
        sender = AudioSender(ssrc: ssrc, payloadType: offer.opusPayloadType, audioLevelExtensionId: offer.audioLevelExtensionId)
        createdAt = now
        nextReportAt = now + Self.reportInterval
        answerSdp = SdpAnswerBuilder(
            offer: offer, iceUfrag: credentials.ufrag, icePassword: credentials.password,
            fingerprintSha256: certificate.fingerprint, hostCandidates: candidates, ssrc: ssrc,
            cname: "parley-\(ssrc)", sessionId: UInt64.random(in: 1...UInt64(Int64.max), using: &random)).build()
    }

    public var localUfrag: String { ice.localUfrag }
    public var remoteAddress: TransportAddress? { ice.selectedAddress }
    public var isTalking: Bool { receiver.isTalking && !muted }
    public var counters: SessionCounters { transport.counters }
    public var iceCounters: IceLiteCounters { ice.counters }

    /// The usual source is the most recent one: look from the end.
    private func isValidated(_ source: TransportAddress) -> Bool {
        validatedSources.last == source || validatedSources.contains(source)
    }

    /// Most recent last; past the cap the oldest source goes, but never the selected one.
    private func rememberValidated(_ source: TransportAddress) {
        if let index = validatedSources.firstIndex(of: source) {
            guard index != validatedSources.count - 1 else { return }
            validatedSources.remove(at: index)
        }
        validatedSources.append(source)
        if validatedSources.count > Self.maxValidatedSources,
           let oldest = validatedSources.firstIndex(where: { $0 != ice.selectedAddress }) {
            validatedSources.remove(at: oldest)
        }
    }

    /// The keys of a handshake that just finished, once (only with `defersSrtpSetup`).
    public func takeSrtpKeys() -> SrtpKeyMaterial? {
        defer { transport.pendingKeys = nil }
        return isEnded ? nil : transport.pendingKeys
    }

    /// Completes a deferred setup: the session is connected from here on (or failed).
    public func installSrtp(_ result: Result<SrtpPair, Error>) {
        guard !isEnded, !isConnected else { return }
        switch result {
        case .success(let pair):
            transport.install(pair)
            record(.connected)
        case .failure(let error):
            record(.failed(code: "srtp_failed", message: "\(error)"))
        }
    }

    /// Events since the last call.
    /// Whether `takeEvents` has anything (cheap: the mixer asks after every frame).
    public var hasEvents: Bool { !events.isEmpty }

    public func takeEvents() -> [SessionEvent] {
        defer { events = [] }
        return events
    }

    /// One datagram from `source`.
    public func receive(_ bytes: [UInt8], from source: TransportAddress, now: Double) -> [Transmit] {
        guard !isEnded else { return [] }
        transport.counters.packetsIn += 1
        switch PacketDemux.classify(bytes) {
        case .stun:
            let result = ice.handleStun(bytes, from: source, now: now)
            guard let response = result.response else { return [] }
            rememberValidated(source)
            return [Transmit(bytes: response, to: source)]
        case .dtls:
            guard isValidated(source) else {
                transport.counters.droppedUnvalidatedSource += 1
                return []
            }
            let (datagrams, event) = transport.handleDtls(bytes, now: now)
            if let event { record(event) }
            return datagrams.compactMap { sendable($0) }
        case .rtp, .rtcp:
            guard isValidated(source) else {
                transport.counters.droppedUnvalidatedSource += 1
                return []
            }
            handleMedia(bytes, now: now)
            return []
        default:
            transport.counters.droppedMalformed += 1
            return []
        }
    }

    /// Decrypts in place and hands RTP to the receiver without copying it first.
    private func handleMedia(_ bytes: [UInt8], now: Double) {
        transport.withUnprotected(bytes) { isRtcp, plain in
            isRtcp ? handleRtcp(Array(plain)) : handleRtp(plain, now: now)
        }
    }

    private func handleRtp(_ plain: UnsafeRawBufferPointer, now: Double) {
        guard let view = try? RtpView(parsing: plain) else {
            transport.counters.droppedMalformed += 1
            return
        }
        transport.counters.rtpReceived += 1
        if !receiver.receive(view, in: plain, now: now) {
            transport.counters.droppedWrongPayloadType += 1
        } else if receiver.hasPendingLevel {
            levelMarks?.mark(self)
        }
    }

    private func handleRtcp(_ plain: [UInt8]) {
        transport.counters.rtcpReceived += 1
        guard let packets = try? RtcpCompound.parse(plain) else {
            transport.counters.droppedMalformed += 1
            return
        }
        for packet in packets {
            switch packet {
            case .goodbye: record(.closed)
            case .senderReport(let report): recordLoss(report.reportBlocks)
            case .receiverReport(let report): recordLoss(report.reportBlocks)
            default: break
            }
        }
    }

    private func recordLoss(_ blocks: [ReportBlock]) {
        for block in blocks where block.ssrc == sender.ssrc { downlinkLoss.record(fractionLost: block.fractionLost) }
    }

    /// How long the jitter buffer holds this participant's audio while it is playing (nil when not).
    public var playoutDelay: Double? { receiver.playoutDelay }
    /// How long this tick's frame waited between arrival and the mixer, if one played.
    public var lastPlayedWait: Double? { receiver.lastPlayedWait }

    /// Smoothed loudness as an RFC 6464 level (0 loudest, 127 silence).
    public var loudness: Double { receiver.loudness }
    /// Without the audio-level extension the level comes from decoding every frame.
    public var decodesForLevel: Bool { receiver.needsDecodeForLevel }

    /// Start of a mixer tick: takes in the levels received since the last one.
    public func beginTick() {
        receiver.beginTick()
    }

    /// This tick's own level (not smoothed), after `beginTick`; nil without the extension.
    var levelThisTick: UInt8? { receiver.levelThisTick }

    /// Once the level has faded to silence with nothing new to take in, sets it to
    /// exactly 127 and returns true: the mixer may skip `beginTick` until a level arrives.
    func settleIfSilent() -> Bool { receiver.settleIfSilent() }

    /// The participant's next 20 ms for the mixer: decoded audio (nil: nothing to add)
    /// and the Opus packet it came from (nil when concealed). With `decode: false`
    /// the frame is consumed but not decoded. Both are nil while muted.
    public func nextAudioFrame(now: Double, decode: Bool = true) -> (pcm: [Int16]?, opus: [UInt8]?) {
        guard isConnected else { return (nil, nil) }
        let (pcm, opus, talkingChanged, decodeError) = receiver.nextFrame(now: now, decode: decode)
        if decodeError { transport.counters.decodeErrors += 1 }
        if let talkingChanged, !muted { events.append(.talking(talkingChanged)) }
        return muted ? (nil, nil) : (pcm, opus)
    }

    /// Starts loading the send path's objects (`FanOut`, a few listeners ahead).
    func prefetchSendPath() {
        sendPathMemory.prefetch()
    }

    /// Starts loading the receiver, whose jitter buffer and talking detector a
    /// listener's frame for the tick reads (`MixingRoom.takeListenerFrames`).
    func prefetchReceivePath() {
        parley_prefetch(UnsafeRawPointer(addressOf: receiver), Self.receiverLines)
    }

    /// The receiver's first lines: its jitter buffer, decoder and talking detector.
    static let receiverLines: UInt32 = 7

    /// Sends nothing for this 20 ms frame (the RTP timestamp still advances, as in DTX).
    public func skipFrame() {
        sender.skipFrame()
    }

    /// Wraps one encoded 20 ms frame of the mix for this participant, built and
    /// sealed in the sink's own buffer (no allocation, no copy). False when nothing
    /// was queued (not connected, or the SRTP layer refused).
    @discardableResult
    public func packetize(opus: [UInt8], into sink: DatagramSink) -> Bool {
        guard isConnected, !isEnded, let address = ice.selectedAddress, let outbound = transport.outbound else {
            sender.skipFrame()
            return false
        }
        var sealed = false
        sink.queue(to: address, capacity: AudioSender.headerRoom + opus.count + SrtpContext.trailerRoom) { buffer in
            guard let length = try? outbound.protectRtp(in: buffer, writing: { sender.write(opus: opus, into: $0) }) else { return 0 }
            sealed = true
            return length
        }
        if sealed { transport.counters.packetsOut += 1 }
        return sealed
    }

    /// Retransmissions, RTCP reports, and the connect and consent deadlines.
    public func handleTimeout(now: Double) -> [Transmit] {
        guard !isEnded else { return [] }
        if !isConnected && now - createdAt > Self.connectTimeout {
            record(.failed(code: ice.selectedAddress == nil ? "ice_timeout" : "dtls_timeout",
                           message: "no connection within \(Int(Self.connectTimeout)) s"))
            return []
        }
        if ice.selectedAddress != nil && ice.isExpired(now: now) {
            record(.failed(code: "consent_expired", message: "no ICE consent check for 30 s"))
            return []
        }
        var out = transport.dtls.handleTimeout(now: now).compactMap { sendable($0) }
        if isConnected && now >= nextReportAt {
            nextReportAt = now + Self.reportInterval
            if let report = makeReport(now: now) { out.append(report) }
        }
        return out
    }

    /// The earliest time `handleTimeout` has work to do.
    public var nextTimeout: Double? {
        [transport.dtls.nextTimeout, isConnected ? nextReportAt : createdAt + Self.connectTimeout].compactMap { $0 }.min()
    }

    /// Says goodbye (RTCP BYE, DTLS close_notify) and ends the session.
    public func close(reason: String = "closed") -> [Transmit] {
        guard !isEnded else { return [] }
        var out: [Transmit] = []
        if isConnected, let address = ice.selectedAddress {
            let bye = RtcpCompound.serialize([.goodbye(Goodbye(ssrcs: [sender.ssrc], reason: reason))])
            if let protected = transport.protectRtcp(bye) { out.append(Transmit(bytes: protected, to: address)) }
        }
        out += transport.dtls.close().compactMap { sendable($0) }
        isEnded = true
        return out
    }

    private func makeReport(now: Double) -> Transmit? {
        guard let address = ice.selectedAddress else { return nil }
        var blocks: [ReportBlock] = []
        if var statistics = receiver.statistics { blocks.append(statistics.makeReportBlock(now: now)) }
        let report = SenderReport(ssrc: sender.ssrc, ntpTimestamp: NtpTime.timestamp(now: now),
                                  rtpTimestamp: sender.currentTimestamp, packetCount: sender.packetCount,
                                  octetCount: sender.octetCount, reportBlocks: blocks)
        let sdes = SourceDescription(ssrc: sender.ssrc, cname: "parley-\(sender.ssrc)")
        let compound = RtcpCompound.serialize([.senderReport(report), .sourceDescription(sdes)])
        return transport.protectRtcp(compound).map { Transmit(bytes: $0, to: address) }
    }

    private func sendable(_ datagram: [UInt8]) -> Transmit? {
        ice.selectedAddress.map { Transmit(bytes: datagram, to: $0) }
    }

    private func record(_ event: SessionEvent) {
        switch event {
        case .connected:
            isConnected = true
            sendPathMemory = PrefetchList(transport.sendPathMemory)
        case .failed, .closed: isEnded = true
        case .talking: break
        }
        events.append(event)
    }
}

/// NTP time for Sender Reports, from the session clock (seconds since an arbitrary origin).
enum NtpTime {
    static func timestamp(now: Double) -> UInt64 {
        let seconds = UInt64(max(0, now))
        let fraction = UInt64((max(0, now) - Double(seconds)) * 4_294_967_296.0)
        return (seconds &+ 2_208_988_800) << 32 | fraction
    }
}
