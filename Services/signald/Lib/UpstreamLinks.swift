import Wire

/// What the hub needs from roomd and the mediad instances; a protocol so the hub's
/// fan-out logic is testable without sockets.
public protocol UpstreamLinks: Sendable {
    func admit(token: String) async throws -> Admission
    func reportLeft(_ event: ParticipantLeft)
    func reportChanged(_ event: ParticipantChanged)
    func createMediaSession(on mediaServerId: String, _ request: CreateMediaSession) async throws -> MediaSessionAnswer
    func addCandidate(on mediaServerId: String, _ request: AddRemoteCandidate) async throws
    func setMuted(on mediaServerId: String, _ request: SetSessionMuted) async throws
    func closeMediaSession(on mediaServerId: String, _ request: CloseMediaSession) async throws
}
