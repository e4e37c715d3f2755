import Foundation
import HummingbirdWSClient
import Logging
import MediaCore
import NIOCore

/// The control-plane half of a synthetic participant: REST join, then the
/// signalling WebSocket (join → offer → answer) for as long as the run lasts.
struct SignalingDriver: ParticipantDriver {
    let group: EventLoopGroup
    let logger: Logger

    func createRooms(http: HttpClient, options: LoadGen) async throws -> [String] {
        var ids: [String] = []
        for index in 0..<options.rooms {
            let body = try JSONSerialization.data(withJSONObject: [
                "name": "loadgen-\(index)", "maxParticipants": min(10_000, options.participantsPerRoom),
            ])
            let response = try await http.request("POST", options.roomd + "/v1/rooms", body: Array(body), bearer: options.adminKey)
            guard response.status == 201, let room = Self.object(response.body), let id = room["id"] as? String else {
                throw HttpClient.Failure(description: "create room: HTTP \(response.status) \(response.text)")
            }
            ids.append(id)
        }
        return ids
    }

    func join(_ participant: SyntheticParticipant, runner: Runner) async {
        let loop = participant.loop
        let roomId = await (try? loop.submit { runner.roomIds[participant.room] }.get()) ?? ""
        do {
            let body = try JSONSerialization.data(withJSONObject: ["displayName": "lg-\(participant.index)"])
            let response = try await runner.http.request("POST", runner.options.roomd + "/v1/rooms/\(roomId)/join", body: Array(body))
            guard response.status == 201, let join = Self.object(response.body),
                  let token = join["token"] as? String, let url = join["signalingUrl"] as? String else {
                throw HttpClient.Failure(description: "REST join: HTTP \(response.status) \(response.text.prefix(120))")
            }
            let peer = ClientPeer(certificate: runner.certificate)
            let offer = Self.text(["type": "offer", "sdp": peer.offerSdp])
            // `joined` lists everyone already in the room: ~110 bytes each, so a town hall's
            // runs to hundreds of kilobytes (signald fragments it into 64 KB frames).
            let client = WebSocketClient(url: url, configuration: .init(maxFrameSize: 1 << 20),
                                         eventLoopGroup: group, logger: logger) { inbound, outbound, _ in
                try await outbound.write(.text(Self.text(["type": "join", "token": token])))
                for try await message in inbound.messages(maxSize: 16 << 20) {
                    runner.signalingActivity.heard()
                    // Presence and talking events are N² in a town hall and unused here: skip
                    // them by a byte scan, or the generator's core goes to JSON parsing.
                    guard case .text(let text) = message, let type = Self.messageType(text),
                          Self.handledTypes.contains(type),
                          let object = Self.object(Array(text.utf8)) else { continue }
                    switch type {
                    case "joined":
                        try await loop.submit {
                            participant.participantId = object["participantId"] as? String ?? ""
                            participant.peer = peer
                            participant.state = .offered
                        }.get()
                        try await outbound.write(.text(offer))
                    case "answer":
                        let sdp = object["sdp"] as? String ?? ""
                        try await loop.submit {
                            participant.connect(answerSdp: sdp, now: Clock.now()) { p, packet, arrival in
                                runner.onPacket(p, packet, arrival)
                            }
                        }.get()
                    case "error":
                        let code = object["code"] as? String ?? "?"
                        try await loop.submit {
                            // Before connecting the join failed; after it, the media session ended (e.g. consent expired).
                            participant.fail(participant.state == .connected ? "session ended: \(code)" : "signalling error \(code)")
                        }.get()
                    case "kicked", "room-closed":
                        try await loop.submit { participant.fail("signalling \(type)") }.get()
                        return
                    default:
                        continue
                    }
                }
            }
            try await client.run()
            try await loop.submit { participant.fail("signalling closed") }.get()
        } catch {
            _ = try? await loop.submit { participant.fail("\(error)") }.get()
        }
    }

    static let handledTypes: Set<String> = ["joined", "answer", "error", "kicked", "room-closed"]

    /// The top-level `"type":"…"` value, found without parsing the message (signald's
    /// encoder writes no spaces; nested objects carry no `type`). A plain byte scan: the
    /// generic `firstRange(of:)` can be left unspecialized, and then its metadata look-ups
    /// on every one of a town hall's N² presence messages starved the joins.
    static func messageType(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard let start = end(of: typeKey, in: bytes),
                  let end = bytes[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
    }

    static let typeKey = Array(#""type":""#.utf8)

    /// The index just past the first occurrence of `key` in `bytes`.
    static func end(of key: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = key.first, bytes.count >= key.count else { return nil }
        var index = 0
        while index <= bytes.count - key.count {
            if bytes[index] == first && (1..<key.count).allSatisfy({ bytes[index + $0] == key[$0] }) {
                return index + key.count
            }
            index += 1
        }
        return nil
    }

    static func object(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }

    static func text(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
