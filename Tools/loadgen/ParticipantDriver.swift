/// The control plane the runner drives: Parley's REST + WebSocket signalling, or
/// Janus AudioBridge's HTTP API. Either ends in `SyntheticParticipant.connect`.
protocol ParticipantDriver: Sendable {
    /// Room ids, one per `--rooms`.
    func createRooms(http: HttpClient, options: LoadGen) async throws -> [String]
    /// Joins one participant and keeps its signalling alive for the rest of the run.
    func join(_ participant: SyntheticParticipant, runner: Runner) async
}
