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
    static let tickSeconds = 0.02 / Double(TickPhases.count)
    /// How long before its tick a speaker's frame should have arrived: a packet read
    /// just before the tick would be late with the slightest wobble.
    static let alignMargin = 0.002
    /// The margin a move into a phase with rooms must leave. A move's waits are predicted
    /// from when the thread read each speaker's frame, which depends on what it was
    /// mixing as the frame came in: ~1 ms off in a busy thread. With `alignMargin`
    /// alone, a room whose speakers came 11 ms apart found a frame 1 ms before its tick
    /// in one phase, was predicted 2 ms in another, found 1 ms there, and swung between
    /// the two about once a second, each swing costing a speaker a frame (meetings of
    /// 500: 18 of 50 rooms, ~1,000 moves a minute). A move into an empty phase keeps the
    /// precise margin, so that a town hall, alone in its thread, lines up as closely as
    /// before (and `fineAlign` refines it from measured waits).
    static let crowdedMargin = alignMargin + 0.0015
    /// Ticks in a row that must ask for the same move before the room moves, so one
    /// odd arrival does not shift the room (and every other speaker's timing in it).
    static let alignAfter = 3
    private(set) var rooms: [[MixingRoom]] = Array(repeating: [], count: TickPhases.count)
    /// Per room: the move its last ticks asked for, and how many ticks in a row.
    private var proposals: [ObjectIdentifier: (steps: Int, count: Int)] = [:]
    /// Rooms moved a phase later: they skip their first tick in the new phase.
    private var held: Set<ObjectIdentifier> = []
    /// Each phase's mixing time per tick in seconds (smoothed).
    private(set) var busy = Array(repeating: 0.0, count: TickPhases.count)
    /// How much of its 5 ms a phase may fill with the rooms moved into it.
    static let alignBudget = 0.8 * tickSeconds
    /// Each phase's tick comes this long after its place on the 5 ms grid: a room
    /// alone in its phase lines its tick up to within `fineStep` of its speakers'
    /// arrivals, not just to the nearest 5 ms (which left its last speaker waiting
    /// anywhere from 2 to 7 ms, and every speaker with it).
    private(set) var offsets = Array(repeating: 0.0, count: TickPhases.count)
    static let maximumOffset = tickSeconds - 0.0005
    /// Ticks over which the shortest wait is taken before the offset follows it.
    static let fineWindow = 25
    /// Offset changes smaller than this are not made.
    static let fineStep = 0.00025
    /// Per room alone in its phase: the shortest wait this window, and its ticks so far.
    private var fine: [ObjectIdentifier: (shortest: Double, ticks: Int)] = [:]

    /// Records how long `phase`'s rooms took to mix this tick.
    mutating func recordBusy(_ seconds: Double, phase: Int) {
        busy[phase] += (seconds - busy[phase]) / 8
    }

    /// Counts a slice of `room`'s packets sent after its tick as its phase's mixing
    /// time, as if the tick had sent them (`recordBusy` weighs a tick by 1/8).
    mutating func recordFanOut(_ seconds: Double, of room: MixingRoom) {
        guard let phase = phase(of: room) else { return }
        busy[phase] += seconds / 8
    }

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
        proposals[ObjectIdentifier(room)] = nil
        fine[ObjectIdentifier(room)] = nil
        held.remove(ObjectIdentifier(room))
    }

    /// Whether `room` sits out this tick (it was just moved a phase later); once only.
    mutating func skipsTick(_ room: MixingRoom) -> Bool {
        held.remove(ObjectIdentifier(room)) != nil
    }

    /// In how many ticks the room should next mix for the frames of its speakers, which
    /// waited `waits` for this tick, to wait the least: `count` keeps the phase, fewer
    /// moves the room earlier, `count + 1` a phase later.
    ///
    /// A wait counts by where in the 20 ms its frame arrived: a wait past a frame is a
    /// safety frame, which the jitter buffer's trim gives back once the tick sits well,
    /// not a longer wait to cut (chasing it moved rooms back and forth, and every move
    /// later deepened each speaker's buffer). A speaker whose frame would then arrive
    /// less than `alignMargin` before the tick counts a frame more. The longest wait
    /// decides; between moves that land alike, the one that costs fewer speakers a
    /// frame of audio (a frame not there in time, or one the trim drops), then the
    /// shortest waits in sum. A move must shorten the longest wait by `alignMargin`.
    /// Waits of two frames and more are a buffer deepened by a burst, which trims itself.
    /// In a phase that has rooms (bit `k` of `crowded`: the phase `k` on), a frame needs
    /// `crowdedMargin` instead: there the prediction is only that good.
    static func alignmentSteps(waits: [Double], crowded: Int = 0) -> Int {
        typealias Cost = (longest: Double, glitches: Int, total: Double)
        func cost(_ steps: Int) -> Cost {
            let shift = Double(count - steps) * tickSeconds
            let margin = crowded & (1 << (steps % count)) != 0 ? crowdedMargin : alignMargin
            var longest = 0.0, total = 0.0, glitches = 0
            for wait in waits where wait >= 0 && wait < 0.04 {
                let real = wait - shift
                var settled = wait.truncatingRemainder(dividingBy: 0.02) - shift
                if settled < margin { settled += 0.02 }
                if real < margin || real - settled > 0.02 - 1e-6 { glitches += 1 }
                longest = max(longest, settled)
                total += settled
            }
            return (longest, glitches, total)
        }
        func better(_ a: Cost, than b: Cost) -> Bool {
            // Within a microsecond is a tie: a phase earlier and three later land alike.
            if abs(a.longest - b.longest) > 1e-6 { return a.longest < b.longest }
            if a.glitches != b.glitches { return a.glitches < b.glitches }
            return a.total < b.total - 1e-6
        }
        let stay = cost(count)
        var best = (steps: count, cost: stay)
        for steps in 1...(count + 1) where steps != count {
            let candidate = cost(steps)
            if better(candidate, than: best.cost) { best = (steps, candidate) }
        }
        return best.cost.longest <= stay.longest - alignMargin ? best.steps : count
    }

    /// After `room` mixed in `phase` with its speakers' frames having waited `waits`:
    /// moves it to the phase its best tick lands in once `alignAfter` ticks in a row
    /// asked for the same move, unless the target phase has rooms and its mixing would
    /// then fill more than `alignBudget` of its 5 ms (the room's cost estimated from its
    /// share of its phase's participants). Returns the new phase when the room moved.
    @discardableResult
    mutating func align(_ room: MixingRoom, in phase: Int, waits: [Double]) -> Int? {
        let key = ObjectIdentifier(room)
        var crowded = 0
        for offset in 1..<Self.count where !rooms[(phase + offset) % Self.count].isEmpty { crowded |= 1 << offset }
        let steps = Self.alignmentSteps(waits: waits, crowded: crowded)
        guard steps != Self.count else {
            proposals[key] = nil
            return nil
        }
        let asked = proposals[key].map { $0.steps == steps ? $0.count + 1 : 1 } ?? 1
        guard asked >= Self.alignAfter else {
            proposals[key] = (steps, asked)
            return nil
        }
        proposals[key] = nil
        let target = (phase + steps) % Self.count
        let here = rooms[phase].reduce(0) { $0 + max(1, $1.participantCount) }
        let cost = busy[phase] * Double(max(1, room.participantCount)) / Double(max(1, here))
        // An empty phase takes any room: a town hall mixes and sends for longer than
        // a phase lasts wherever it sits, so only its speakers' timing depends on where.
        guard rooms[target].isEmpty || busy[target] + cost <= Self.alignBudget else { return nil }
        busy[target] += cost
        busy[phase] -= cost
        // Alone there, the room keeps its offset: the move is exactly the steps it chose.
        if rooms[target].isEmpty { offsets[target] = offsets[phase] }
        fine[key] = nil
        rooms[phase].removeAll { $0 === room }
        rooms[target].append(room)
        if steps > Self.count { held.insert(key) }
        return target
    }

    /// After `room` mixed in `phase` (and did not move): when it is alone there, shifts
    /// its tick once every `fineWindow` ticks so that the shortest wait of the window
    /// (a wait past a frame counts by where in the 20 ms it arrived, as in
    /// `alignmentSteps`) approaches `alignMargin`: by the phase's offset, or past either
    /// end of it into the neighbouring phase when that one is empty (a room moved
    /// later sits out one tick there, as in `align`). A shift of a whole phase or more
    /// is `align`'s to make. Returns where the room's tick now is, when it moved.
    @discardableResult
    mutating func fineAlign(_ room: MixingRoom, in phase: Int, waits: [Double]) -> (phase: Int, offset: Double)? {
        let key = ObjectIdentifier(room)
        guard rooms[phase].count == 1, rooms[phase].first === room else {
            fine[key] = nil
            return nil
        }
        var shortest = Double.infinity
        for wait in waits where wait >= 0 && wait < 0.04 { shortest = min(shortest, wait.truncatingRemainder(dividingBy: 0.02)) }
        guard shortest.isFinite else { return nil }
        var window = fine[key] ?? (shortest: .infinity, ticks: 0)
        window = (min(window.shortest, shortest), window.ticks + 1)
        guard window.ticks >= Self.fineWindow else {
            fine[key] = window
            return nil
        }
        fine[key] = nil
        // Positive: the tick may come this much earlier. Later at once (a wait under
        // the margin is a frame about to miss its tick), earlier by half: the shortest
        // wait of a window is noisy, and chasing it in full swung the tick back and forth.
        let spare = window.shortest - Self.alignMargin
        let shift = spare > 0 ? spare / 2 : spare
        guard abs(shift) >= Self.fineStep, abs(spare) < Self.tickSeconds else { return nil }
        var target = phase
        var offset = offsets[phase] - shift
        if offset < 0, rooms[(phase + Self.count - 1) % Self.count].isEmpty {
            target = (phase + Self.count - 1) % Self.count
            offset += Self.tickSeconds
        } else if offset > Self.maximumOffset, rooms[(phase + 1) % Self.count].isEmpty {
            target = (phase + 1) % Self.count
            offset -= Self.tickSeconds
            held.insert(key)
        }
        offset = min(max(offset, 0), Self.maximumOffset)
        guard target != phase || abs(offset - offsets[phase]) >= 1e-6 else { return nil }
        if target != phase {
            rooms[phase].removeAll()
            rooms[target].append(room)
            busy[target] = busy[phase]
            busy[phase] = 0
        }
        offsets[target] = offset
        return (target, offset)
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
