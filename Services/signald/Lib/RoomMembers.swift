import Foundation
import Wire

/// One room's members in the order they joined, each with its participant's JSON kept
/// encoded. `joined` lists everyone already in the room: built from these fragments,
/// a join into a town hall of N costs a copy of N short strings, not an encode of N
/// participants (the whole room per join was O(N²) as a room filled up, and held up
/// every other message of the hub meanwhile).
struct RoomMembers {
    struct Member {
        var participant: Participant {
            didSet { encodedParticipant = Self.encode(participant) }
        }
        var session: SignalSession
        var mediaServerId: String
        /// `participant` as `{"id":…}`, the shape every message uses.
        private(set) var encodedParticipant: String

        init(participant: Participant, session: SignalSession, mediaServerId: String) {
            self.participant = participant
            self.session = session
            self.mediaServerId = mediaServerId
            encodedParticipant = Self.encode(participant)
        }

        static func encode(_ participant: Participant) -> String {
            (try? JSONEncoder().encode(participant)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
        }
    }

    private var byId: [String: Member] = [:]
    /// Ids in join order; a replaced session keeps its participant's place.
    private var order: [String] = []

    var isEmpty: Bool { byId.isEmpty }
    var count: Int { byId.count }

    subscript(participantId: String) -> Member? {
        get { byId[participantId] }
        set {
            switch (byId[participantId] != nil, newValue != nil) {
            case (false, true): order.append(participantId)
            case (true, false): order.removeAll { $0 == participantId }
            default: break
            }
            byId[participantId] = newValue
        }
    }

    /// Every member, in join order.
    var members: [Member] { order.compactMap { byId[$0] } }

    /// Everyone but `excluded`, in join order: the participants and the JSON array of them.
    func others(than excluded: String) -> (participants: [Participant], json: String) {
        var participants: [Participant] = []
        participants.reserveCapacity(max(0, count - 1))
        var json = "["
        for id in order where id != excluded {
            guard let member = byId[id] else { continue }
            if !participants.isEmpty { json += "," }
            json += member.encodedParticipant
            participants.append(member.participant)
        }
        return (participants, json + "]")
    }
}
