import Foundation

/// Limits REST joins per client address (a token bucket) and wrong-PIN attempts per
/// client and room (a sliding window), so PINs cannot be brute-forced and one
/// client cannot flood token issuance. Over the limit: 429 `rate_limited`.
public actor JoinRateLimiter {
    public struct Limits: Sendable {
        /// Sustained joins per second per address (0 turns the bucket off), and the burst.
        public var joinsPerSecond: Double
        public var joinBurst: Double
        /// Wrong PINs allowed per address and room within `pinWindow` seconds.
        public var wrongPinsAllowed: Int
        public var pinWindow: TimeInterval

        public init(joinsPerSecond: Double = 50, joinBurst: Double = 200, wrongPinsAllowed: Int = 10, pinWindow: TimeInterval = 60) {
            self.joinsPerSecond = joinsPerSecond
            self.joinBurst = joinBurst
            self.wrongPinsAllowed = wrongPinsAllowed
            self.pinWindow = pinWindow
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    public let limits: Limits
    private var buckets: [String: Bucket] = [:]
    private var wrongPins: [String: [Date]] = [:]

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Throws `rateLimited` when this address joins too fast or guessed this room's PIN too often.
    public func admit(address: String, roomId: String, now: Date) throws {
        let key = "\(address)|\(roomId)"
        if let failures = wrongPins[key] {
            let recent = failures.filter { now.timeIntervalSince($0) < limits.pinWindow }
            wrongPins[key] = recent.isEmpty ? nil : recent
            if recent.count >= limits.wrongPinsAllowed { throw RoomError.rateLimited }
        }
        guard limits.joinsPerSecond > 0 else { return }
        var bucket = buckets[address] ?? Bucket(tokens: limits.joinBurst, updated: now)
        bucket.tokens = min(limits.joinBurst, bucket.tokens + now.timeIntervalSince(bucket.updated) * limits.joinsPerSecond)
        bucket.updated = now
        guard bucket.tokens >= 1 else {
            buckets[address] = bucket
            throw RoomError.rateLimited
        }
        bucket.tokens -= 1
        buckets[address] = bucket
        if buckets.count > 10_000 { prune(now: now) }
    }

    public func recordWrongPin(address: String, roomId: String, now: Date) {
        wrongPins["\(address)|\(roomId)", default: []].append(now)
    }

    /// Drops full buckets so memory stays bounded under many addresses.
    private func prune(now: Date) {
        buckets = buckets.filter { min(limits.joinBurst, $0.value.tokens + now.timeIntervalSince($0.value.updated) * limits.joinsPerSecond) < limits.joinBurst }
    }
}
