import Foundation
import Synchronization

/// When the last signalling message reached any participant. A town hall's joins
/// leave a backlog of presence events behind them (each join is told to everyone in
/// the room, ~N²/2 messages), which signald and the generator work through on the
/// generator's core after the last join has connected: while they do, the talkers'
/// send clock stutters and the server's jitter buffers deepen to match. The window
/// waits for the signalling to go quiet, so it measures the mixing, not that.
final class SignalingActivity: Sendable {
    /// How long no message must have come for the signalling to count as quiet.
    static let quietSeconds = 1.0
    /// The longest wait for it.
    static let longestWaitSeconds = 60.0

    private let lastHeardNanoseconds = Atomic<Int64>(0)

    /// A signalling message came in (any participant, any thread).
    func heard(now: Double = Clock.now()) {
        lastHeardNanoseconds.store(Int64(now * 1e9), ordering: .relaxed)
    }

    /// Seconds since the last message (infinite when none came).
    func silence(now: Double = Clock.now()) -> Double {
        let last = lastHeardNanoseconds.load(ordering: .relaxed)
        return last == 0 ? .infinity : now - Double(last) / 1e9
    }

    /// Waits until no message has come for `quietSeconds`, at most `longestWaitSeconds`;
    /// returns how long it waited.
    func waitForQuiet() async throws -> Double {
        let start = Clock.now()
        while silence() < Self.quietSeconds && Clock.now() - start < Self.longestWaitSeconds {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        return Clock.now() - start
    }
}
