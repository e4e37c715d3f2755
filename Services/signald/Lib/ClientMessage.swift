import Foundation

/// A message from the browser, decoded from one JSON text frame.
public enum ClientMessage: Equatable, Sendable {
    case join(token: String)
    case offer(sdp: String)
    /// nil ends the candidates.
    case candidate(String?)
    case mute(Bool)
    case leave
    case ping

    public static func decode(_ text: String) throws -> ClientMessage {
        let data = Data(text.utf8)
        guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else { throw SignalError.invalidJSON }
        guard let type = try? JSONDecoder().decode(Typed.self, from: data).type else {
            throw SignalError.invalidMessage("missing string \"type\"")
        }
        switch type {
        case "join":
            return .join(token: try decode(Join.self, from: data, "join needs a string \"token\"").token)
        case "offer":
            let sdp = try decode(Offer.self, from: data, "offer needs a string \"sdp\"").sdp
            guard !sdp.isEmpty else { throw SignalError.invalidMessage("offer needs a non-empty \"sdp\"") }
            return .offer(sdp: sdp)
        case "candidate":
            let candidate = try decode(Candidate.self, from: data, "\"candidate\" must be a string or null").candidate
            return .candidate(candidate?.isEmpty == false ? candidate : nil)
        case "mute":
            return .mute(try decode(Mute.self, from: data, "mute needs a boolean \"muted\"").muted)
        case "leave": return .leave
        case "ping": return .ping
        default: throw SignalError.unknownType(type)
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, from data: Data, _ why: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: data) } catch { throw SignalError.invalidMessage(why) }
    }

    private struct Typed: Decodable { var type: String }
    private struct Join: Decodable { var token: String }
    private struct Offer: Decodable { var sdp: String }
    private struct Candidate: Decodable { var candidate: String? }
    private struct Mute: Decodable { var muted: Bool }
}
