import Wire

/// `{"rooms": [Room]}`.
public struct RoomList: Codable, Sendable, Equatable {
    public var rooms: [RoomResource]
}

/// `{"participants": [Participant]}`.
public struct ParticipantList: Codable, Sendable, Equatable {
    public var participants: [Participant]
}

/// `{"mediaServers": [MediaServer]}`.
public struct MediaServerList: Codable, Sendable, Equatable {
    public var mediaServers: [MediaServerStatus]
}
