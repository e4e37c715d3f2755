/// signald → roomd, on every (re)connect: who is in which room, so a restarted
/// roomd learns the live participants again.
public struct SyncPresence: WireRequest, Equatable {
    public static let method = "participant.sync"
    public typealias Reply = WireAck

    public struct Room: Codable, Sendable, Equatable {
        public var roomId: String
        public var participants: [Participant]
        public init(roomId: String, participants: [Participant]) {
            self.roomId = roomId
            self.participants = participants
        }
    }

    public var rooms: [Room]

    public init(rooms: [Room]) {
        self.rooms = rooms
    }
}
