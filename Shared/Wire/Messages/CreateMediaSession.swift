/// signald → mediad: a participant's offer; mediad creates (or replaces) its session
/// in the room and answers. Errors: `invalid_sdp`, `no_usable_audio`, `at_capacity`.
public struct CreateMediaSession: WireRequest, Equatable {
    public static let method = "session.create"
    public typealias Reply = MediaSessionAnswer

    public var roomId: String
    public var participantId: String
    public var offerSdp: String
    public var muted: Bool

    public init(roomId: String, participantId: String, offerSdp: String, muted: Bool = false) {
        self.roomId = roomId
        self.participantId = participantId
        self.offerSdp = offerSdp
        self.muted = muted
    }
}

public struct MediaSessionAnswer: Codable, Sendable, Equatable {
    public var answerSdp: String

    public init(answerSdp: String) {
        self.answerSdp = answerSdp
    }
}
