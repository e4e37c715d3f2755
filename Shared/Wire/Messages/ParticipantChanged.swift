/// signald → roomd: live state changed (self-mute, talking), so REST answers stay live.
public struct ParticipantChanged: WireEvent, Equatable {
    public static let name = "participant.changed"

    public var roomId: String
    public var participant: Participant

    public init(roomId: String, participant: Participant) {
        self.roomId = roomId
        self.participant = participant
    }
}
