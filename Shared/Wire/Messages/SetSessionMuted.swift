/// signald → mediad: leave the participant out of (or back in) the mix.
public struct SetSessionMuted: WireRequest, Equatable {
    public static let method = "session.mute"
    public typealias Reply = WireAck

    public var roomId: String
    public var participantId: String
    public var muted: Bool

    public init(roomId: String, participantId: String, muted: Bool) {
        self.roomId = roomId
        self.participantId = participantId
        self.muted = muted
    }
}
