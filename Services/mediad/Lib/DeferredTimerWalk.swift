/// When the sessions' timer walk (phase 0's, a fifth of the sessions each 20 ms)
/// runs: at once, or, while a big room is still sending its slices, after the
/// last one, as its listeners' packets would otherwise wait for the walk. Every
/// period is walked exactly once and in order: a period still waiting when the
/// next one comes is walked first.
struct DeferredTimerWalk {
    private(set) var waiting: Int?

    /// Phase 0 came for `period`: the periods to walk now, oldest first.
    mutating func due(_ period: Int, slicesPending: Bool) -> [Int] {
        var now: [Int] = []
        if let waiting { now.append(waiting) }
        waiting = nil
        if slicesPending { waiting = period } else { now.append(period) }
        return now
    }

    /// The last slice went out: the period left waiting, if any.
    mutating func slicesFinished() -> Int? {
        defer { waiting = nil }
        return waiting
    }
}
