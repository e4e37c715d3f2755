import Foundation
import MediaCore

/// Joins participants to Janus AudioBridge rooms for side-by-side runs: a
/// session and handle each, `join` with the offer, the answer from the event
/// long-poll, then keepalives. Janus runs full ICE and answers `a=setup:active`,
/// so the participant binds first and offers its host candidate.
struct JanusDriver: ParticipantDriver {
    static let plugin = "janus.plugin.audiobridge"
    static let keepaliveSeconds: UInt64 = 25
    let base: String

    func createRooms(http: HttpClient, options: LoadGen) async throws -> [String] {
        let admin = try await JanusSession.open(http: http, base: base, plugin: Self.plugin)
        var ids: [String] = []
        for _ in 0..<options.rooms {
            // Random ids: rooms left by an earlier run on the same Janus must not collide.
            let reply = try await admin.message([
                "request": "create", "room": Int.random(in: 1...(1 << 40)), "permanent": false,
                "sampling_rate": 48000, "audiolevel_ext": true, "record": false, "is_private": false,
            ])
            let data = Self.pluginData(reply)
            guard let room = JanusSession.number(data["room"]) else {
                throw HttpClient.Failure(description: "janus create room: \(data)")
            }
            ids.append(String(room))
        }
        return ids
    }

    func join(_ participant: SyntheticParticipant, runner: Runner) async {
        let loop = participant.loop
        do {
            let room = try await loop.submit { Int(runner.roomIds[participant.room]) ?? 0 }.get()
            let local = try await loop.submit { try participant.bind() }.get()
            let peer = ClientPeer(certificate: runner.certificate, localCandidate: local)
            let janus = try await JanusSession.open(http: runner.http, base: base, plugin: Self.plugin)
            try await loop.submit {
                participant.peer = peer
                participant.state = .offered
            }.get()
            _ = try await janus.message(["request": "join", "room": room, "display": "lg-\(participant.index)"],
                                        jsep: ["type": "offer", "sdp": peer.offerSdp])
            let answer = try await awaitAnswer(janus, handle: janus.handle, deadline: Clock.now() + runner.options.joinTimeout)
            try await loop.submit {
                participant.connect(answerSdp: answer, now: Clock.now()) { p, packet, arrival in
                    runner.onPacket(p, packet, arrival)
                }
            }.get()
            // Events queued after the answer (who joined, who left) are not read: polling
            // them would add HTTP work to Janus's CPU figure that Parley's does not carry.
            while try await loop.submit({ participant.state != .failed }).get() {
                try await Task.sleep(nanoseconds: Self.keepaliveSeconds * 1_000_000_000)
                try await janus.keepalive()
            }
        } catch {
            _ = try? await loop.submit { participant.fail("\(error)") }.get()
        }
    }

    /// Long-polls until the plugin's event for `handle` carries the JSEP answer.
    func awaitAnswer(_ janus: JanusSession, handle: Int, deadline: Double) async throws -> String {
        while Clock.now() < deadline {
            // A poll can outlast HttpClient's 15 s limit when nothing is queued: just poll again.
            guard let events = try? await janus.poll() else {
                try await Task.sleep(nanoseconds: 200_000_000)
                continue
            }
            for event in events where JanusSession.number(event["sender"]) == handle {
                let data = Self.pluginData(event)
                if let error = data["error"] {
                    throw HttpClient.Failure(description: "janus join: \(data["error_code"] ?? "?") \(error)")
                }
                if event["janus"] as? String == "hangup" {
                    throw HttpClient.Failure(description: "janus hangup: \(event["reason"] ?? "")")
                }
                if let jsep = event["jsep"] as? [String: Any], jsep["type"] as? String == "answer",
                   let sdp = jsep["sdp"] as? String {
                    return sdp
                }
            }
        }
        throw HttpClient.Failure(description: "janus join: no answer before the join timeout")
    }

    static func pluginData(_ reply: [String: Any]) -> [String: Any] {
        ((reply["plugindata"] as? [String: Any])?["data"] as? [String: Any]) ?? [:]
    }
}
