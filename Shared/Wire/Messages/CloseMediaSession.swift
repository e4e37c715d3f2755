/// signald → mediad: end a participant's media session (sends RTCP BYE).
public struct CloseMediaSession: WireRequest, Equatable {
    public static let method = "session.close"
    public typealias Reply = WireAck

    public var roomId: String
    public var participantId: String
    public var reason: String

    public init(roomId: String, participantId: String, reason: String) {
        self.roomId = roomId
        self.participantId = participantId
        self.reason = reason
    }
}
