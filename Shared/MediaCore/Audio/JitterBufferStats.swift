/// Counters a jitter buffer keeps for metrics and tests.
public struct JitterBufferStats: Equatable, Sendable {
    public var inserted = 0
    public var played = 0
    /// Frames missing at their playout time (concealed or FEC-recovered).
    public var lost = 0
    /// Arrived after their playout time and dropped.
    public var late = 0
    /// Arrived just after being concealed and played a frame late instead.
    public var replayedLate = 0
    public var duplicates = 0
    /// Dropped to keep the delay bounded.
    public var overflowDropped = 0
    /// Pops that found nothing to play (not started or underrun).
    public var underruns = 0

    public init() {}
}
