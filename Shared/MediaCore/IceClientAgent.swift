/// The controlling side of ICE (RFC 8445), reduced to what a test peer or load
/// generator needs against an ICE-lite server: checks to one known address,
/// retransmitted until answered, then consent checks (RFC 7675).
public struct IceClientAgent: Sendable {
    public static let retransmitInterval: Double = 0.05
    public static let consentInterval: Double = 5
    /// Bound on remembered outstanding transactions.
    static let maxPendingTransactions = 32

    public let localUfrag: String
    public let localPassword: String
    public let remoteUfrag: String
    public let remotePassword: String
    public let tieBreaker: UInt64
    /// Priority of the (peer-reflexive) candidate we claim: type 110, local 65535, component 1.
    public var priority: UInt32 = (110 << 24) | (65535 << 8) | 255

    public private(set) var isConnected = false
    public private(set) var remoteAddress: TransportAddress?
    public private(set) var lastResponse: Double?
    public private(set) var nextCheckDeadline: Double?
    /// Transaction ids of checks still awaiting an answer, oldest first.
    private var pending: [[UInt8]] = []
    private var nominating = false

    public init(localUfrag: String, localPassword: String, remoteUfrag: String, remotePassword: String,
                tieBreaker: UInt64) {
        self.localUfrag = localUfrag
        self.localPassword = localPassword
        self.remoteUfrag = remoteUfrag
        self.remotePassword = remotePassword
        self.tieBreaker = tieBreaker
    }

    /// A Binding request to `address`; also makes it the target of retransmissions.
    public mutating func makeCheck(to address: TransportAddress, now: Double, nominate: Bool) -> [UInt8] {
        remoteAddress = address
        nominating = nominate
        var check = StunMessage(type: .bindingRequest, transactionId: StunMessage.randomTransactionId())
        check.append(StunUsername("\(remoteUfrag):\(localUfrag)"))
        check.append(StunPriority(priority))
        check.append(StunIceControlling(tieBreaker: tieBreaker))
        if nominate { check.append(StunUseCandidate()) }
        pending.append(check.transactionId)
        if pending.count > Self.maxPendingTransactions { pending.removeFirst() }
        nextCheckDeadline = now + (isConnected ? Self.consentInterval : Self.retransmitInterval)
        return check.serialize(integrityKey: Array(remotePassword.utf8), addFingerprint: true)
    }

    /// True when `bytes` is a valid success response to one of our checks.
    public mutating func handleResponse(_ bytes: [UInt8], from source: TransportAddress, now: Double) -> Bool {
        guard let response = try? StunMessage(parsing: bytes), response.type == .bindingSuccess,
              let index = pending.firstIndex(of: response.transactionId),
              StunMessageIntegrity.verify(bytes, key: Array(remotePassword.utf8)),
              !response.contains(StunAttributeType.fingerprint) || StunFingerprint.verify(bytes) else {
            return false
        }
        pending.remove(at: index)
        isConnected = true
        lastResponse = now
        nextCheckDeadline = now + Self.consentInterval
        return true
    }

    /// RFC 7675: without answers for 30 s the peer has withdrawn consent.
    public func isExpired(now: Double) -> Bool {
        guard let lastResponse else { return false }
        return now - lastResponse >= IceLiteAgent.consentTimeout
    }

    /// Checks due at `now`: retransmissions every 50 ms until connected, then consent every 5 s.
    public mutating func handleTimeout(now: Double) -> [([UInt8], TransportAddress)] {
        guard let deadline = nextCheckDeadline, now >= deadline, let target = remoteAddress else { return [] }
        // Consent checks after connecting do not re-nominate.
        return [(makeCheck(to: target, now: now, nominate: nominating && !isConnected), target)]
    }
}
