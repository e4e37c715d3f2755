/// API.md's Room.
public struct RoomResource: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var hasPin: Bool
    public var maxParticipants: Int
    public var participantCount: Int
    /// RFC 3339, UTC.
    public var createdAt: String

    init(_ record: RoomRecord, participantCount: Int) {
        self.id = record.id
        self.name = record.name
        self.hasPin = record.pinHash != nil
        self.maxParticipants = record.maxParticipants
        self.participantCount = participantCount
        self.createdAt = Timestamp.string(record.createdAt)
    }
}
