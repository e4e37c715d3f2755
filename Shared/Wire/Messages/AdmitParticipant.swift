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

public struct Admission: Codable, Sendable, Equatable {
    public var roomId: String
    public var participant: Participant
    public var mediaServerId: String
    /// The others already in the room.
    public var others: [Participant]

    public init(roomId: String, participant: Participant, mediaServerId: String, others: [Participant]) {
        self.roomId = roomId
        self.participant = participant
        self.mediaServerId = mediaServerId
        self.others = others
    }
}
