/// Why STUN requests were answered or silently dropped, for metrics.
public struct IceLiteCounters: Equatable, Sendable {
    public var droppedIntegrity = 0
    public var droppedFingerprint = 0
    public var droppedUsername = 0
    public var droppedMalformed = 0
    public var answered = 0

    public init() {}
}
