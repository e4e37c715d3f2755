/// signald → roomd: a participant's signalling session ended (left, dropped, kicked).
public struct ParticipantLeft: WireEvent, Equatable {
    public static let name = "participant.left"

    public var roomId: String
    public var participantId: String
    public var reason: String

    public init(roomId: String, participantId: String, reason: String) {
        self.roomId = roomId
        self.participantId = participantId
        self.reason = reason
    }
}
