/// `POST /v1/rooms`.
public struct CreateRoomBody: Decodable, Sendable {
    public var name: String
    public var pin: String?
    public var maxParticipants: Int?
}

/// `POST /v1/rooms/{roomId}/join`.
public struct JoinRoomBody: Decodable, Sendable {
    public var displayName: String
    public var pin: String?
}

/// `POST /v1/rooms/{roomId}/participants/{participantId}/mute`.
public struct MuteBody: Decodable, Sendable {
    public var muted: Bool
}
