/// Where a room's sessions note that an audio level came in since the last tick.
///
/// Speaker selection needs every member whose level could make it a speaker, but a
/// town hall's listeners are silent: walking all of them each tick to fold in a
/// level of 127 touched a thousand sessions (a cache miss each) before the first
/// packet left. So a session marks itself here when a level arrives, the room
/// walks only those and the ones still fading from speech (`MixingRoom.hot`), and
/// a silent session costs nothing per tick.
final class LevelMarks {
    private(set) var sessions: [ServerSession] = []

    /// Notes `session` once until the next `take`.
    func mark(_ session: ServerSession) {
        guard !session.isLevelMarked else { return }
        session.isLevelMarked = true
        sessions.append(session)
    }

    /// Moves the marked sessions into `into` (emptied first), reusing both arrays' storage.
    func take(into taken: inout [ServerSession]) {
        taken.removeAll(keepingCapacity: true)
        swap(&sessions, &taken)
        for session in taken { session.isLevelMarked = false }
    }
}
