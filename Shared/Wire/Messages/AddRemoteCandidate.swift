/// signald → mediad: a trickled client candidate; nil or "" ends the candidates.
/// ICE-lite answers checks from any address, so this is informational.
public struct AddRemoteCandidate: WireRequest, Equatable {
    public static let method = "session.candidate"
    public typealias Reply = WireAck

    public var roomId: String
    public var participantId: String
    public var candidate: String?

    public init(roomId: String, participantId: String, candidate: String?) {
        self.roomId = roomId
        self.participantId = participantId
        self.candidate = candidate
    }
}
