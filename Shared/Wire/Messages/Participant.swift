/// A participant exactly as API.md shows it to clients (REST and WebSocket).
public struct Participant: Codable, Sendable, Equatable {
    public var id: String
    public var displayName: String
    public var muted: Bool
    public var talking: Bool
    /// RFC 3339, UTC.
    public var joinedAt: String

    public init(id: String, displayName: String, muted: Bool = false, talking: Bool = false, joinedAt: String) {
        self.id = id
        self.displayName = displayName
        self.muted = muted
        self.talking = talking
        self.joinedAt = joinedAt
    }
}
