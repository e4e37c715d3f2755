import Foundation
import Synchronization

/// How many signalling messages have reached the participants. A town hall's joins
/// leave a backlog of presence events behind them (each join is told to everyone in
/// the room, ~N²/2 messages), which signald and the generator work through on the
/// generator's core after the last join has connected: while they do, the talkers'
/// send clock stutters and the server's jitter buffers deepen to match. The window
/// waits for that backlog to drain, so it measures the mixing, not that.
final class SignalingActivity: Sendable {
    /// Drained: fewer messages than this per participant in the last second. A room
    /// in steady state hears ~1 a second each (talking changes at every switch); a
    /// backlog of joins at 50/s into a room of N is 50 each, whatever N.
    static let drainedRatePerParticipant = 5.0
    /// The longest wait for it.
    static let longestWaitSeconds = 60.0

    private let messages = Atomic<Int>(0)

    /// A signalling message came in (any participant, any thread).
    func heard() {
        messages.add(1, ordering: .relaxed)
    }

    var count: Int { messages.load(ordering: .relaxed) }

    /// Waits until the last second brought fewer than `drainedRatePerParticipant` messages
    /// per participant, at most `longestWaitSeconds`; returns how long it waited.
    func waitForDrain(participants: Int) async throws -> Double {
        let start = Clock.now()
        let limit = Self.drainedRatePerParticipant * Double(max(1, participants))
        while Clock.now() - start < Self.longestWaitSeconds {
            let before = count
            try await Task.sleep(nanoseconds: 1_000_000_000)
            if Double(count - before) < limit { break }
        }
        return Clock.now() - start
    }
}
