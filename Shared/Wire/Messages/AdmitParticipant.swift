/// signald → roomd, on a signalling `join`: validates the token, checks the room has
/// space, counts the participant in, and says which mediad hosts the room.
/// Errors: `invalid_token`, `token_expired`, `room_not_found`, `room_full`, `no_media_server`.
public struct AdmitParticipant: WireRequest, Equatable {
    public static let method = "participant.admit"
    public typealias Reply = Admission

    public var token: String

    public init(token: String) {
        self.token = token
    }
}

/// Who else is in the room is not part of it: signald, which every member of the room
/// is connected to, lists them in `joined` from its own sessions. (Listing them here cost
/// roomd an encode and signald a decode of the whole room per join: O(N²) for a town
/// hall filling up.)
public struct Admission: Codable, Sendable, Equatable {
    public var roomId: String
    public var participant: Participant
    public var mediaServerId: String

    public init(roomId: String, participant: Participant, mediaServerId: String) {
        self.roomId = roomId
        self.participant = participant
        self.mediaServerId = mediaServerId
    }
}
