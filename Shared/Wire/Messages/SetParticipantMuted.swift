/// roomd → signald: an admin muted or unmuted a participant over REST.
public struct SetParticipantMuted: WireEvent, Equatable {
    public static let name = "command.mute"

    public var roomId: String
    public var participant: Participant

    public init(roomId: String, participant: Participant) {
        self.roomId = roomId
        self.participant = participant
    }
}
