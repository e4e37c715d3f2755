/// What handling one STUN datagram produced.
public struct IceLiteResult: Equatable, Sendable {
    /// Bytes to send back to the source address, if the request was valid.
    public var response: [UInt8]?
    /// Set when media should now go to a different remote address.
    public var selectedAddressChanged: TransportAddress?

    public init(response: [UInt8]? = nil, selectedAddressChanged: TransportAddress? = nil) {
        self.response = response
        self.selectedAddressChanged = selectedAddressChanged
    }
}

/// The server side of ICE-lite (RFC 8445 §2.5) with consent freshness (RFC 7675).
/// A lite agent never sends checks: it answers valid Binding requests from any
/// source and follows the controlling agent's nomination.
public struct IceLiteAgent: Sendable {
    /// RFC 7675 §5.1: consent expires 30 s after the last valid check.
    public static let consentTimeout: Double = 30

    /// First: the one field a packet's send reads (the session keeps it in its first lines).
    public private(set) var selectedAddress: TransportAddress?
    public let localUfrag: String
    public let localPassword: String
    /// From the offer; while nil only our half of USERNAME is checked.
    public var remoteUfrag: String?
    public var remotePassword: String?

    public private(set) var counters = IceLiteCounters()
    public private(set) var lastValidCheck: Double?
    /// Whether `selectedAddress` came from USE-CANDIDATE (else: first valid check).
    public private(set) var isNominated = false
    /// Baseline for expiry before any check arrived.
    private let createdAt: Double?

    public init(localUfrag: String, localPassword: String, now: Double? = nil) {
        self.localUfrag = localUfrag
        self.localPassword = localPassword
        self.createdAt = now
    }

    /// Fresh local credentials for a new session (ufrag 8, pwd 24 ice-chars).
    public static func randomCredentials() -> (ufrag: String, password: String) {
        (IceCredentials.randomUfrag(), IceCredentials.randomPassword())
    }

    /// True when no valid check arrived for 30 s (counted from `init(now:)` until the first one).
    public func isExpired(now: Double) -> Bool {
        guard let since = lastValidCheck ?? createdAt else { return false }
        return now - since >= Self.consentTimeout
    }

    public mutating func handleStun(_ bytes: [UInt8], from source: TransportAddress, now: Double) -> IceLiteResult {
        guard let request = try? StunMessage(parsing: bytes) else {
            counters.droppedMalformed += 1
            return IceLiteResult()
        }
        // Indications (keepalives) and stray responses need no answer.
        guard request.type == .bindingRequest else {
            if request.type.method != StunMessageType.bindingMethod { counters.droppedMalformed += 1 }
            return IceLiteResult()
        }
        guard StunFingerprint.verify(bytes) else {
            counters.droppedFingerprint += 1
            return IceLiteResult()
        }
        guard let username = request.attribute(StunUsername.self), usernameMatches(username.value) else {
            counters.droppedUsername += 1
            return IceLiteResult()
        }
        guard StunMessageIntegrity.verify(bytes, key: Array(localPassword.utf8)) else {
            counters.droppedIntegrity += 1
            return IceLiteResult()
        }
        counters.answered += 1
        lastValidCheck = now
        return IceLiteResult(response: successResponse(to: request, from: source),
                             selectedAddressChanged: updateSelection(source, nominated: request.contains(StunAttributeType.useCandidate)))
    }

    /// USERNAME is "<our ufrag>:<their ufrag>" on requests sent to us.
    private func usernameMatches(_ username: String) -> Bool {
        guard let colon = username.firstIndex(of: ":") else { return false }
        let ours = username[..<colon]
        let theirs = username[username.index(after: colon)...]
        guard ours == localUfrag else { return false }
        if let remoteUfrag { return theirs == remoteUfrag }
        return true
    }

    /// The selection follows the latest nomination; before any, the first valid check.
    private mutating func updateSelection(_ source: TransportAddress, nominated: Bool) -> TransportAddress? {
        let previous = selectedAddress
        if nominated {
            isNominated = true
            selectedAddress = source
        } else if selectedAddress == nil {
            selectedAddress = source
        }
        return selectedAddress != previous ? selectedAddress : nil
    }

    private func successResponse(to request: StunMessage, from source: TransportAddress) -> [UInt8] {
        var response = StunMessage(type: .bindingSuccess, transactionId: request.transactionId)
        response.append(StunXorMappedAddress(source))
        return response.serialize(integrityKey: Array(localPassword.utf8), addFingerprint: true)
    }
}
