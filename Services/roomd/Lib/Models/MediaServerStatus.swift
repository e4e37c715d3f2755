/// API.md's MediaServer.
public struct MediaServerStatus: Codable, Sendable, Equatable {
    public var id: String
    public var udpAddress: String
    public var healthy: Bool
    public var rooms: Int
    public var participants: Int
    /// RFC 3339, UTC.
    public var lastHeartbeatAt: String
}
