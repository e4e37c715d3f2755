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
            ServerMessage.jsonText(participant) ?? "{}"
        }
    }

    /// Every member, in join order (a replaced session keeps its participant's place):
    /// a broadcast walks this, with no lookup per member.
    private(set) var members: [Member] = []
    /// Each participant id's index in `members`.
    private var positions: [String: Int] = [:]

    var isEmpty: Bool { members.isEmpty }
    var count: Int { members.count }

    /// The member with this participant id; setting nil removes it (O(N): the ones
    /// after it move up).
    subscript(participantId: String) -> Member? {
        get { positions[participantId].map { members[$0] } }
        set {
            switch (positions[participantId], newValue) {
            case (let position?, let member?):
                members[position] = member
            case (let position?, nil):
                members.remove(at: position)
                positions[participantId] = nil
                for index in position..<members.count { positions[members[index].participant.id] = index }
            case (nil, let member?):
                positions[participantId] = members.count
                members.append(member)
            case (nil, nil):
                break
            }
        }
    }

    /// Everyone but `excluded`, in join order: the participants and the JSON array of them.
    func others(than excluded: String) -> (participants: [Participant], json: String) {
        var participants: [Participant] = []
        participants.reserveCapacity(max(0, count - 1))
        var json = "["
        for member in members where member.participant.id != excluded {
            if !participants.isEmpty { json += "," }
            json += member.encodedParticipant
            participants.append(member.participant)
        }
        return (participants, json + "]")
    }
}
