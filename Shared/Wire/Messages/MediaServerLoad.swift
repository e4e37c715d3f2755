/// How busy a mediad instance is; roomd places new rooms on the least loaded.
public struct MediaServerLoad: Codable, Sendable, Equatable {
    public var rooms: Int
    public var participants: Int
    /// Share of one core spent in mixer ticks, 0…100 per thread.
    public var tickCpuPercent: Double

    public init(rooms: Int = 0, participants: Int = 0, tickCpuPercent: Double = 0) {
        self.rooms = rooms
        self.participants = participants
        self.tickCpuPercent = tickCpuPercent
    }
}
