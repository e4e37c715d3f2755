/// A datagram a sans-IO session wants sent; the driver owns the socket.
public struct Transmit: Equatable, Sendable {
    public var bytes: [UInt8]
    public var to: TransportAddress

    public init(bytes: [UInt8], to: TransportAddress) {
        self.bytes = bytes
        self.to = to
    }
}

/// What a session reports to its owner (room, control plane).
public enum SessionEvent: Equatable, Sendable {
    /// ICE and DTLS are done; media flows.
    case connected
    /// The session ended abnormally; `code` is stable (`ice_timeout`, `dtls_failed`, …).
    case failed(code: String, message: String)
    /// The peer said goodbye (RTCP BYE or DTLS close_notify).
    case closed
    case talking(Bool)
}

/// Per-session packet counters, summed into mediad's metrics.
public struct SessionCounters: Equatable, Sendable {
    public var packetsIn = 0
    public var packetsOut = 0
    public var rtpReceived = 0
    public var rtcpReceived = 0
    public var droppedUnvalidatedSource = 0
    public var droppedSrtpAuth = 0
    public var droppedMalformed = 0
    public var droppedWrongPayloadType = 0
    public var droppedBeforeKeys = 0
    public var decodeErrors = 0

    public init() {}

    public var dropped: Int {
        droppedUnvalidatedSource + droppedSrtpAuth + droppedMalformed + droppedWrongPayloadType + droppedBeforeKeys
    }
}
