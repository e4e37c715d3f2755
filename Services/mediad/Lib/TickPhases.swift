import MediaCore
import NIOCore

/// Spreads a mixing thread's rooms over the 20 ms mixer period in `count` phases,
/// each room in the phase with the fewest participants when it was created, so the
/// thread mixes a quarter of its rooms every 5 ms instead of all of them at once:
/// datagrams arriving meanwhile wait a few milliseconds at most, not a whole burst
/// (that wait would count as network jitter and deepen every jitter buffer), and
/// each room's mix leaves on a steady clock.
struct TickPhases {
    static let count = 4
    private(set) var rooms: [[MixingRoom]] = Array(repeating: [], count: TickPhases.count)

    /// Puts `room` in the least loaded phase (by participants now); returns the phase.
    @discardableResult
    mutating func add(_ room: MixingRoom) -> Int {
        let load = rooms.map { $0.reduce(0) { $0 + max(1, $1.participantCount) } }
        let phase = load.indices.min { (load[$0], $0) < (load[$1], $1) } ?? 0
        rooms[phase].append(room)
        return phase
    }

    mutating func remove(_ room: MixingRoom) {
        for phase in rooms.indices { rooms[phase].removeAll { $0 === room } }
    }

    /// Ticks from tick `count` to the next one with work: a phase with rooms, or
    /// phase 0, which always runs (it also serves the sessions' timers). A thread
    /// with few rooms thus wakes every 20 ms, not every 5.
    func ticksToNextBusyPhase(after count: Int) -> Int {
        var steps = 1
        while (count + steps) % Self.count != 0 && rooms[(count + steps) % Self.count].isEmpty { steps += 1 }
        return steps
    }

    /// The next tick's deadline on the fixed grid. A phase that overran makes the
    /// next one late but does not move the grid: it runs at once, so every room
    /// still mixes 50 times a second. Only after a stall of a whole period is the
    /// backlog dropped (re-anchored at `now`) rather than mixed in a burst.
    static func deadline(_ planned: NIODeadline, now: NIODeadline, period: TimeAmount) -> NIODeadline {
        planned < now - period ? now : planned
    }

    func phase(of room: MixingRoom) -> Int? {
        rooms.firstIndex { $0.contains { $0 === room } }
    }
}
