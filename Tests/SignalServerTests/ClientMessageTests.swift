import XCTest
@testable import SignalServer

final class ClientMessageTests: XCTestCase {
    func testDecodesEveryClientMessage() throws {
        XCTAssertEqual(try ClientMessage.decode(#"{"type":"join","token":"abc"}"#), .join(token: "abc"))
        XCTAssertEqual(try ClientMessage.decode(#"{"type":"offer","sdp":"v=0"}"#), .offer(sdp: "v=0"))
        XCTAssertEqual(try ClientMessage.decode(#"{"type":"candidate","candidate":"candidate:1 1 udp 1 127.0.0.1 9 typ host","sdpMid":"0","sdpMLineIndex":0}"#),
                       .candidate("candidate:1 1 udp 1 127.0.0.1 9 typ host"))
        XCTAssertEqual(try ClientMessage.decode(#"{"type":"candidate","candidate":""}"#), .candidate(nil))
        XCTAssertEqual(try ClientMessage.decode(#"{"type":"candidate","candidate":null}"#), .candidate(nil))
        XCTAssertEqual(try ClientMessage.decode(#"{"type":"mute","muted":true}"#), .mute(true))
        XCTAssertEqual(try ClientMessage.decode(#"{"type":"leave"}"#), .leave)
        XCTAssertEqual(try ClientMessage.decode(#"{"type":"ping"}"#), .ping)
    }

    func testBadInputGivesStableCodes() {
        let cases: [(String, String)] = [
            ("not json", "invalid_json"),
            ("[1,2]", "invalid_json"),
            ("42", "invalid_json"),
            (#"{"token":"x"}"#, "invalid_message"),
            (#"{"type":5}"#, "invalid_message"),
            (#"{"type":"join"}"#, "invalid_message"),
            (#"{"type":"join","token":7}"#, "invalid_message"),
            (#"{"type":"offer","sdp":""}"#, "invalid_message"),
            (#"{"type":"mute","muted":1}"#, "invalid_message"),
            (#"{"type":"candidate","candidate":{}}"#, "invalid_message"),
            (#"{"type":"dance"}"#, "unknown_type"),
        ]
        for (text, code) in cases {
            XCTAssertThrowsError(try ClientMessage.decode(text), text) { error in
                XCTAssertEqual((error as? SignalError)?.code, code, text)
            }
        }
    }

    func testServerMessagesHaveTheApiShapes() throws {
        let alice = Participant(id: "p1", displayName: "Alice", joinedAt: "2026-11-25T21:40:00Z")
        func object(_ message: ServerMessage) throws -> [String: Any] {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(message.json.utf8)) as? [String: Any])
        }
        let joined = try object(.joined(participantId: "p2", roomId: "r1", participants: [alice]))
        XCTAssertEqual(joined["type"] as? String, "joined")
        XCTAssertEqual(joined["participantId"] as? String, "p2")
        XCTAssertEqual(joined["roomId"] as? String, "r1")
        let listed = try XCTUnwrap((joined["participants"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(listed.keys), ["id", "displayName", "muted", "talking", "joinedAt"])
        XCTAssertEqual(try object(.participantUpdated(alice))["type"] as? String, "participant-updated")
        XCTAssertEqual(try object(.participantLeft(participantId: "p1"))["participantId"] as? String, "p1")
        XCTAssertEqual(try object(.error(code: "room_full", message: "full"))["code"] as? String, "room_full")
        XCTAssertEqual(try object(.kicked)["type"] as? String, "kicked")
        XCTAssertEqual(try object(.roomClosed)["type"] as? String, "room-closed")
        XCTAssertEqual(try object(.pong)["type"] as? String, "pong")
    }

    func testOriginPolicy() {
        var config = SignalServerConfig()
        XCTAssertTrue(config.allows(origin: "http://evil.example"))
        config.allowedOrigins = SignalServerConfig.parseOrigins("http://a.example, https://b.example")
        XCTAssertTrue(config.allows(origin: nil), "non-browser clients send no Origin")
        XCTAssertTrue(config.allows(origin: "https://b.example"))
        XCTAssertFalse(config.allows(origin: "http://evil.example"))
    }

    func testRateLimiterAllowsBurstThenRefills() {
        let start = ContinuousClock.now
        var limiter = MessageRateLimiter(perSecond: 10, burst: 3, now: start)
        XCTAssertTrue(limiter.allow(now: start))
        XCTAssertTrue(limiter.allow(now: start))
        XCTAssertTrue(limiter.allow(now: start))
        XCTAssertFalse(limiter.allow(now: start))
        XCTAssertTrue(limiter.allow(now: start + .milliseconds(150)))
    }
}

import Foundation
import Wire
