/// The handshake retransmission schedule (RFC 6347 §4.2.4.1), kept on the
/// caller's clock rather than OpenSSL's wall clock, so a test that jumps
/// `now` forward sees retransmissions exactly as a real peer would.
struct DtlsRetransmitTimer {
    static let initialInterval = 1.0
    static let maximumInterval = 60.0

    private(set) var deadline: Double?
    private var interval = initialInterval

    /// A new flight went out: wait the initial interval for the answer.
    mutating func armForNewFlight(now: Double) {
        interval = Self.initialInterval
        deadline = now + interval
    }

    /// True once the deadline has passed; then the interval doubles (capped).
    mutating func fireIfDue(now: Double) -> Bool {
        guard let due = deadline, now >= due else { return false }
        interval = min(interval * 2, Self.maximumInterval)
        deadline = now + interval
        return true
    }

    mutating func stop() {
        deadline = nil
    }
}
