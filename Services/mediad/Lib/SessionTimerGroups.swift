import MediaCore

/// The sessions' timers (DTLS retransmits, RTCP reports, the connect and consent
/// deadlines) work in hundreds of milliseconds, so they need not run at the
/// mixer's 20 ms: the sessions are dealt into five groups and each period's
/// phase-0 tick serves one, so every session's timers run every 100 ms and a
/// town hall's thousands of sessions are not all walked in one tick.
struct SessionTimerGroups {
    static let count = 5
    private var groups: [[ServerSession]] = Array(repeating: [], count: count)

    /// Joins the smallest group.
    mutating func add(_ session: ServerSession) {
        let smallest = groups.indices.min { groups[$0].count < groups[$1].count } ?? 0
        groups[smallest].append(session)
    }

    mutating func remove(_ session: ServerSession) {
        for index in groups.indices {
            if let at = groups[index].firstIndex(where: { $0 === session }) {
                groups[index].remove(at: at)
                return
            }
        }
    }

    /// The group whose timers are due in mixer period `period`.
    func due(inPeriod period: Int) -> [ServerSession] {
        groups[period % Self.count]
    }

    var sessionCount: Int { groups.reduce(0) { $0 + $1.count } }
}
