import Foundation
import Logging
import NIOConcurrencyHelpers
import XCTest
import Wire
@testable import SignalServer

/// The hub's fan-out rules with an in-memory stand-in for roomd/mediad (the real
/// ones are exercised by the end-to-end tests).
final class SessionHubTests: XCTestCase {
    final class Upstream: UpstreamLinks, @unchecked Sendable {
        let calls = NIOLockedValueBox<[String]>([])
        let admissions: [String: Admission]
        init(_ admissions: [String: Admission]) { self.admissions = admissions }
        func admit(token: String) async throws -> Admission {
            guard let admission = admissions[token] else { throw WireError.remote(code: "invalid_token", message: "unknown token") }
            return admission
        }
        func reportLeft(_ event: ParticipantLeft) { calls.withLockedValue { $0.append("left \(event.participantId)") } }
        func reportChanged(_ event: ParticipantChanged) { calls.withLockedValue { $0.append("changed \(event.participant.id)") } }
        func createMediaSession(on mediaServerId: String, _ request: CreateMediaSession) async throws -> MediaSessionAnswer {
            calls.withLockedValue { $0.append("create \(request.participantId)@\(mediaServerId)") }
            if request.offerSdp == "bad" { throw WireError.remote(code: "no_usable_audio", message: "no audio") }
            return MediaSessionAnswer(answerSdp: "answer-for-\(request.participantId)")
        }
        func addCandidate(on mediaServerId: String, _ request: AddRemoteCandidate) async throws {}
        func setMuted(on mediaServerId: String, _ request: SetSessionMuted) async throws {
            calls.withLockedValue { $0.append("mute \(request.participantId) \(request.muted)") }
        }
        func closeMediaSession(on mediaServerId: String, _ request: CloseMediaSession) async throws {
            calls.withLockedValue { $0.append("close \(request.participantId)") }
        }
    }

    static func participant(_ id: String) -> Participant {
        Participant(id: id, displayName: id.uppercased(), joinedAt: "2026-11-25T21:40:00Z")
    }

    func makeHub() -> (SessionHub, Upstream) {
        let admissions = [
            "ta": Admission(roomId: "r", participant: Self.participant("a"), mediaServerId: "m1"),
            "tb": Admission(roomId: "r", participant: Self.participant("b"), mediaServerId: "m1"),
            "tc": Admission(roomId: "r", participant: Self.participant("c"), mediaServerId: "m1"),
            "tx": Admission(roomId: "other", participant: Self.participant("x"), mediaServerId: "m1"),
        ]
        let upstream = Upstream(admissions)
        return (SessionHub(upstream: upstream, logger: Logger(label: "test")), upstream)
    }

    /// Collects what a session was sent so far.
    func drain(_ session: SignalSession) async -> [SignalSession.Outgoing] {
        var items: [SignalSession.Outgoing] = []
        let collector = Task {
            for await item in session.outbox { items.append(item) }
            return items
        }
        try? await Task.sleep(for: .milliseconds(50))
        session.close()
        return await collector.value
    }

    /// A room event is encoded once and the same text goes to every member.
    func testRoomEventsReachEveryMemberEncodedOnce() async throws {
        let (hub, _) = makeHub()
        let a = SignalSession(), b = SignalSession()
        await hub.handle(.join(token: "ta"), from: a)
        await hub.handle(.join(token: "tb"), from: b)
        await hub.setTalking(roomId: "r", participantId: "b", talking: true)
        var talkingB = Self.participant("b"); talkingB.talking = true
        for session in [a, b] {
            let updates = await drain(session).compactMap { outgoing -> (ServerMessage, String?)? in
                if case .message(let message, let encoded) = outgoing, message == .participantUpdated(talkingB) { return (message, encoded) }
                return nil
            }
            XCTAssertEqual(updates.count, 1)
            // Key order is the encoder's business: compare what the JSON says.
            let sent = try XCTUnwrap(updates.first?.1)
            let expected = ServerMessage.participantUpdated(talkingB).json
            XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(sent.utf8)) as? NSDictionary,
                           try JSONSerialization.jsonObject(with: Data(expected.utf8)) as? NSDictionary, "sent pre-encoded")
        }
        XCTAssertEqual(SignalSession.Outgoing.message(.pong, encoded: "x"), .message(.pong), "the encoding is only a cache")
    }

    /// `joined` lists the room's other members in join order, as they are now (mute state
    /// included), pre-encoded, and the JSON says what the message says.
    func testJoinedListsTheOthersInJoinOrder() async throws {
        let (hub, _) = makeHub()
        let a = SignalSession(), b = SignalSession(), x = SignalSession(), c = SignalSession()
        await hub.handle(.join(token: "ta"), from: a)
        await hub.handle(.join(token: "tb"), from: b)
        await hub.handle(.join(token: "tx"), from: x)
        await hub.handle(.mute(true), from: a)
        await hub.handle(.join(token: "tc"), from: c)
        var mutedA = Self.participant("a"); mutedA.muted = true
        let expected = ServerMessage.joined(participantId: "c", roomId: "r", participants: [mutedA, Self.participant("b")])
        let toC = await drain(c)
        guard case .message(let message, let encoded) = toC.first else { return XCTFail("no joined: \(toC)") }
        XCTAssertEqual(message, expected)
        let sent = try XCTUnwrap(encoded, "sent pre-encoded")
        XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(sent.utf8)) as? NSDictionary,
                       try JSONSerialization.jsonObject(with: Data(expected.json.utf8)) as? NSDictionary)

        // Whoever left is not listed; a replaced session keeps its participant's place
        // (and takes the participant as roomd admitted it: this stand-in forgets the mute).
        await hub.handle(.leave, from: b)
        let a2 = SignalSession(), b2 = SignalSession()
        await hub.handle(.join(token: "ta"), from: a2)
        await hub.handle(.join(token: "tb"), from: b2)
        let toB2 = await drain(b2)
        XCTAssertEqual(toB2.first, .message(.joined(participantId: "b", roomId: "r", participants: [Self.participant("a"), Self.participant("c")])))
    }

    func testJoinedJSONEscapesIds() throws {
        let text = ServerMessage.joinedJSON(participantId: "p\"1\\", roomId: "r/ü", participantsJSON: "[]")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(object["participantId"] as? String, "p\"1\\")
        XCTAssertEqual(object["roomId"] as? String, "r/ü")
        XCTAssertEqual(object["type"] as? String, "joined")
        XCTAssertEqual((object["participants"] as? [Any])?.count, 0)
    }

    func testJoinFanOutMuteTalkingAndLeave() async throws {
        let (hub, upstream) = makeHub()
        let a = SignalSession(), b = SignalSession()
        await hub.handle(.join(token: "ta"), from: a)
        await hub.handle(.join(token: "tb"), from: b)
        await hub.handle(.offer(sdp: "v=0"), from: b)
        await hub.handle(.mute(true), from: b)
        await hub.setTalking(roomId: "r", participantId: "a", talking: true)
        await hub.handle(.leave, from: b)

        let toA = await drain(a)
        XCTAssertEqual(toA.first, .message(.joined(participantId: "a", roomId: "r", participants: [])))
        XCTAssertTrue(toA.contains(.message(.participantJoined(Self.participant("b")))))
        var mutedB = Self.participant("b"); mutedB.muted = true
        XCTAssertTrue(toA.contains(.message(.participantUpdated(mutedB))))
        XCTAssertTrue(toA.contains(.message(.participantLeft(participantId: "b"))))
        var talkingA = Self.participant("a"); talkingA.talking = true
        XCTAssertTrue(toA.contains(.message(.participantUpdated(talkingA))))

        let calls = upstream.calls.withLockedValue { $0 }
        XCTAssertEqual(calls, ["create b@m1", "mute b true", "changed b", "changed a", "left b", "close b"])
    }

    func testBadTokenIsFatalAndBadOfferIsNot() async throws {
        let (hub, _) = makeHub()
        let stranger = SignalSession()
        await hub.handle(.join(token: "nope"), from: stranger)
        let toStranger = await drain(stranger)
        XCTAssertEqual(toStranger, [.message(.error(code: "invalid_token", message: "unknown token")), .close(code: 1008)])

        let a = SignalSession()
        await hub.handle(.join(token: "ta"), from: a)
        await hub.handle(.offer(sdp: "bad"), from: a)
        await hub.handle(.ping, from: a)
        let toA = await drain(a)
        XCTAssertTrue(toA.contains(.message(.error(code: "no_usable_audio", message: "no audio"))))
        XCTAssertTrue(toA.contains(.message(.pong)), "the session goes on after a bad offer")
    }

    func testSecondSessionReplacesTheFirstWithoutLeaving() async throws {
        let (hub, upstream) = makeHub()
        let first = SignalSession(), second = SignalSession()
        await hub.handle(.join(token: "ta"), from: first)
        await hub.handle(.join(token: "ta"), from: second)
        await hub.disconnected(first)
        XCTAssertTrue(first.isClosed)
        XCTAssertFalse(upstream.calls.withLockedValue { $0 }.contains("left a"), "the replaced socket closing does not remove the participant")
        let count = await hub.sessionCount
        XCTAssertEqual(count, 1)
    }

    func testKickAndCloseRoom() async throws {
        let (hub, _) = makeHub()
        let a = SignalSession(), b = SignalSession()
        await hub.handle(.join(token: "ta"), from: a)
        await hub.handle(.join(token: "tb"), from: b)
        await hub.kick(roomId: "r", participantId: "b")
        await hub.closeRoom(roomId: "r")
        let toB = await drain(b)
        XCTAssertTrue(toB.contains(.message(.kicked)))
        XCTAssertEqual(toB.last, .close(code: 1000))
        let toA = await drain(a)
        XCTAssertTrue(toA.contains(.message(.participantLeft(participantId: "b"))))
        XCTAssertTrue(toA.contains(.message(.roomClosed)))
        let count = await hub.sessionCount
        XCTAssertEqual(count, 0)
    }
}
