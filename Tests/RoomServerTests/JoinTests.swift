import Crypto
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import XCTest
@testable import RoomServer

final class JoinTests: XCTestCase {
    var fixture: RoomdFixture!

    override func tearDown() async throws {
        fixture?.cleanup()
    }

    func testJoinReturnsTokenAndSignalling() async throws {
        fixture = try RoomdFixture()
        await fixture.registerMediaServer("m1")
        let room = try await fixture.createRoom()
        try await fixture.test { client in
            let response = try await client.execute(
                uri: "/v1/rooms/\(room.id)/join", method: .post, headers: HTTPTestSupport.anonymous,
                body: HTTPTestSupport.json(["displayName": "Ada"]))
            XCTAssertEqual(response.status, .created, String(buffer: response.body))
            let join = try HTTPTestSupport.object(response)
            let token = try XCTUnwrap(join["token"] as? String)
            XCTAssertGreaterThanOrEqual(token.count, 43, "32 random bytes in base64url")
            XCTAssertNil(token.rangeOfCharacter(from: CharacterSet(charactersIn: "+/=")))
            XCTAssertTrue((join["participantId"] as? String)?.hasPrefix("p_") == true)
            XCTAssertEqual(join["roomId"] as? String, room.id)
            XCTAssertEqual(join["expiresAt"] as? String, "2027-01-15T08:10:00Z")
            XCTAssertEqual(join["signalingUrl"] as? String, "ws://signal.test/v1/signal")
            XCTAssertEqual((join["iceServers"] as? [Any])?.count, 0)
        }
        let observed1 = try await fixture.app.rooms.room(room.id).participantCount
        XCTAssertEqual(observed1, 0, "an unused REST join does not count")
    }

    func testTwoJoinsGetDifferentTokens() async throws {
        fixture = try RoomdFixture()
        await fixture.registerMediaServer("m1")
        let room = try await fixture.createRoom()
        let first = try await fixture.join(room.id)
        let second = try await fixture.join(room.id)
        XCTAssertNotEqual(first.token, second.token)
        XCTAssertNotEqual(first.participantId, second.participantId)
    }

    func testTokensAreStoredOnlyHashed() async throws {
        fixture = try RoomdFixture()
        await fixture.registerMediaServer("m1")
        let room = try await fixture.createRoom(pin: "4321")
        let grant = try await fixture.join(room.id, pin: "4321")
        let dump = try await fixture.app.database.read { db -> String in
            var text = ""
            for table in ["rooms", "tokens"] {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table)") { text += row.description }
            }
            return text
        }
        XCTAssertFalse(dump.contains(grant.token), "plaintext token in the database")
        XCTAssertFalse(dump.contains("4321"), "plaintext PIN in the database")
        let expectedHash = SHA256.hash(data: Data(grant.token.utf8)).map { String(format: "%02x", $0) }.joined()
        XCTAssertTrue(dump.contains(expectedHash))
        let bytes = try XCTUnwrap(Data(base64Encoded: grant.token.replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/") + "="))
        XCTAssertEqual(bytes.count, 32)
    }

    func testPinIsChecked() async throws {
        fixture = try RoomdFixture()
        await fixture.registerMediaServer("m1")
        let room = try await fixture.createRoom(pin: "2468")
        try await fixture.test { client in
            for body: [String: Any] in [["displayName": "Eve"], ["displayName": "Eve", "pin": "1357"], ["displayName": "Eve", "pin": "24680"]] {
                let response = try await client.execute(
                    uri: "/v1/rooms/\(room.id)/join", method: .post, headers: HTTPTestSupport.anonymous, body: HTTPTestSupport.json(body))
                try HTTPTestSupport.assertError(response, .forbidden, "wrong_pin")
            }
            let right = try await client.execute(
                uri: "/v1/rooms/\(room.id)/join", method: .post, headers: HTTPTestSupport.anonymous,
                body: HTTPTestSupport.json(["displayName": "Ada", "pin": "2468"]))
            XCTAssertEqual(right.status, .created)
        }
    }

    func testJoinErrors() async throws {
        fixture = try RoomdFixture()
        await fixture.registerMediaServer("m1")
        let room = try await fixture.createRoom()
        try await fixture.test { client in
            let unknown = try await client.execute(
                uri: "/v1/rooms/r_nosuchroom00/join", method: .post, headers: HTTPTestSupport.anonymous,
                body: HTTPTestSupport.json(["displayName": "Ada"]))
            try HTTPTestSupport.assertError(unknown, .notFound, "room_not_found")
            let bad = try await client.execute(
                uri: "/v1/rooms/\(room.id)/join", method: .post, headers: HTTPTestSupport.anonymous, body: ByteBuffer(string: "[1,"))
            try HTTPTestSupport.assertError(bad, .badRequest, "invalid_json")
            for body: [String: Any] in [[:], ["displayName": ""], ["displayName": String(repeating: "a", count: 65)], ["displayName": true]] {
                let response = try await client.execute(
                    uri: "/v1/rooms/\(room.id)/join", method: .post, headers: HTTPTestSupport.anonymous, body: HTTPTestSupport.json(body))
                try HTTPTestSupport.assertError(response, .badRequest, "invalid_request")
            }
        }
    }

    func testFullRoomIs409AtJoin() async throws {
        fixture = try RoomdFixture()
        await fixture.registerMediaServer("m1")
        let room = try await fixture.createRoom(max: 2)
        try await fixture.joinAndAdmit(room.id, name: "Ada")
        let pending = try await fixture.join(room.id, name: "Bob")
        try await fixture.test { client in
            let notYet = try await client.execute(
                uri: "/v1/rooms/\(room.id)/join", method: .post, headers: HTTPTestSupport.anonymous,
                body: HTTPTestSupport.json(["displayName": "Cy"]))
            XCTAssertEqual(notYet.status, .created, "unused joins do not fill the room")
        }
        _ = try await fixture.app.presence.admit(token: pending.token, connectionID: nil)
        try await fixture.test { client in
            let full = try await client.execute(
                uri: "/v1/rooms/\(room.id)/join", method: .post, headers: HTTPTestSupport.anonymous,
                body: HTTPTestSupport.json(["displayName": "Dee"]))
            try HTTPTestSupport.assertError(full, .conflict, "room_full")
            let shown = try await client.execute(uri: "/v1/rooms/\(room.id)", method: .get, headers: HTTPTestSupport.admin)
            XCTAssertEqual(try HTTPTestSupport.decode(RoomResource.self, shown).participantCount, 2)
        }
    }

    func testNoMediaServerIs503() async throws {
        fixture = try RoomdFixture()
        let room = try await fixture.createRoom()
        try await fixture.test { client in
            let response = try await client.execute(
                uri: "/v1/rooms/\(room.id)/join", method: .post, headers: HTTPTestSupport.anonymous,
                body: HTTPTestSupport.json(["displayName": "Ada"]))
            try HTTPTestSupport.assertError(response, .serviceUnavailable, "no_media_server")
        }
    }

    func testTurnCredentials() async throws {
        fixture = try RoomdFixture(turnURLs: ["turn:turn.test:3478?transport=udp", "turns:turn.test:5349"], turnSecret: "s3cret")
        await fixture.registerMediaServer("m1")
        let room = try await fixture.createRoom()
        let grant = try await fixture.join(room.id)
        XCTAssertEqual(grant.iceServers.count, 1)
        let server = grant.iceServers[0]
        XCTAssertEqual(server.urls, ["turn:turn.test:3478?transport=udp", "turns:turn.test:5349"])
        let expiry = Int(fixture.clock.now.timeIntervalSince1970) + 600
        XCTAssertEqual(server.username, "\(expiry):\(grant.participantId)")
        let mac = HMAC<Insecure.SHA1>.authenticationCode(
            for: Data("\(expiry):\(grant.participantId)".utf8), using: SymmetricKey(data: Data("s3cret".utf8)))
        XCTAssertEqual(server.credential, Data(mac).base64EncodedString())
        // RFC 2202 test case 2, to pin the HMAC-SHA1 itself.
        XCTAssertEqual(TurnCredentials.password(username: "what do ya want for nothing?", secret: "Jefe"),
                       Data([0xef, 0xfc, 0xdf, 0x6a, 0xe5, 0xeb, 0x2f, 0xa2, 0xd2, 0x74, 0x16, 0xd5, 0xf1, 0x84, 0xdf, 0x9c,
                             0x25, 0x9a, 0x7c, 0x79]).base64EncodedString())
    }

    func testTurnUrlsWithoutSecret() async throws {
        fixture = try RoomdFixture(turnURLs: ["turn:turn.test:3478"])
        await fixture.registerMediaServer("m1")
        let room = try await fixture.createRoom()
        let grant = try await fixture.join(room.id)
        XCTAssertEqual(grant.iceServers, [IceServer(urls: ["turn:turn.test:3478"])])
        let json = String(decoding: try JSONEncoder().encode(grant.iceServers), as: UTF8.self)
        XCTAssertFalse(json.contains("username"))
    }
}
