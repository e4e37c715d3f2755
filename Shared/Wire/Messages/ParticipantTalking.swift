/// mediad → signald: talking detection changed for a participant.
public struct ParticipantTalking: WireEvent, Equatable {
    public static let name = "session.talking"

    public var roomId: String
    public var participantId: String
    public var talking: Bool

    public init(roomId: String, participantId: String, talking: Bool) {
        self.roomId = roomId
        self.participantId = participantId
        self.talking = talking
    }
}
