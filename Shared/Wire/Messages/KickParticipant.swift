/// roomd → signald: an admin removed a participant; its token is already revoked.
public struct KickParticipant: WireEvent, Equatable {
    public static let name = "command.kick"

    public var roomId: String
    public var participantId: String

    public init(roomId: String, participantId: String) {
        self.roomId = roomId
        self.participantId = participantId
    }
}
