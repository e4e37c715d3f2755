/// roomd → signald: the room was deleted; everyone gets `room-closed`.
public struct CloseRoom: WireEvent, Equatable {
    public static let name = "command.close-room"

    public var roomId: String

    public init(roomId: String) {
        self.roomId = roomId
    }
}
