import Foundation
import Wire

/// A message to the browser, encoded as one JSON text frame (API.md shapes).
public enum ServerMessage: Equatable, Sendable {
    case joined(participantId: String, roomId: String, participants: [Participant])
    case answer(sdp: String)
    case participantJoined(Participant)
    case participantLeft(participantId: String)
    case participantUpdated(Participant)
    case kicked
    case roomClosed
    case error(code: String, message: String)
    case pong

    public static func error(_ error: SignalError) -> ServerMessage {
        .error(code: error.code, message: error.message)
    }

    public var json: String {
        let data: Data?
        switch self {
        case .joined(let participantId, let roomId, let participants):
            data = try? JSONEncoder().encode(Joined(participantId: participantId, roomId: roomId, participants: participants))
        case .answer(let sdp):
            data = try? JSONEncoder().encode(["type": "answer", "sdp": sdp])
        case .participantJoined(let participant):
            data = try? JSONEncoder().encode(WithParticipant(type: "participant-joined", participant: participant))
        case .participantLeft(let participantId):
            data = try? JSONEncoder().encode(["type": "participant-left", "participantId": participantId])
        case .participantUpdated(let participant):
            data = try? JSONEncoder().encode(WithParticipant(type: "participant-updated", participant: participant))
        case .kicked:
            data = Data(#"{"type":"kicked"}"#.utf8)
        case .roomClosed:
            data = Data(#"{"type":"room-closed"}"#.utf8)
        case .error(let code, let message):
            data = try? JSONEncoder().encode(["type": "error", "code": code, "message": message])
        case .pong:
            data = Data(#"{"type":"pong"}"#.utf8)
        }
        return data.flatMap { String(data: $0, encoding: .utf8) } ?? #"{"type":"error","code":"internal_error","message":"encoding failed"}"#
    }

    /// `joined` around an already encoded JSON array of participants (`RoomMembers`):
    /// what `.joined(…).json` says, without encoding the room again.
    public static func joinedJSON(participantId: String, roomId: String, participantsJSON: String) -> String {
        #"{"type":"joined","participantId":"# + jsonString(participantId) + #","roomId":"# + jsonString(roomId)
            + #","participants":"# + participantsJSON + "}"
    }

    private static func jsonString(_ value: String) -> String {
        jsonText(value) ?? #""""#
    }

    /// `value` as JSON text; nil when it cannot be encoded.
    static func jsonText(_ value: some Encodable) -> String? {
        (try? JSONEncoder().encode(value)).flatMap { String(data: $0, encoding: .utf8) }
    }

    private struct Joined: Encodable {
        var type = "joined"
        var participantId: String
        var roomId: String
        var participants: [Participant]
    }

    private struct WithParticipant: Encodable {
        var type: String
        var participant: Participant
    }
}
