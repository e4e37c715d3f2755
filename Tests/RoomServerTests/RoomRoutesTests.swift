import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest
@testable import RoomServer

final class RoomRoutesTests: XCTestCase {
    var fixture: RoomdFixture!

    override func setUp() async throws {
        fixture = try RoomdFixture()
    }

    override func tearDown() async throws {
        fixture.cleanup()
    }

    func testCreateGetListAndDeleteRoom() async throws {
        await fixture.registerMediaServer("m1")
        try await fixture.test { client in
            let created = try await client.execute(
                uri: "/v1/rooms", method: .post, headers: HTTPTestSupport.admin,
                body: HTTPTestSupport.json(["name": "Standup", "pin": "1234", "maxParticipants": 5]))
            XCTAssertEqual(created.status, .created)
            let room = try HTTPTestSupport.object(created)
            let id = try XCTUnwrap(room["id"] as? String)
            XCTAssertTrue(id.hasPrefix("r_"))
            XCTAssertEqual(room["name"] as? String, "Standup")
            XCTAssertEqual(room["hasPin"] as? Bool, true)
            XCTAssertEqual(room["maxParticipants"] as? Int, 5)
            XCTAssertEqual(room["participantCount"] as? Int, 0)
            XCTAssertEqual(room["createdAt"] as? String, "2027-01-15T08:00:00Z")
            XCTAssertNil(room["pin"])

            let shown = try await client.execute(uri: "/v1/rooms/\(id)", method: .get, headers: HTTPTestSupport.admin)
            XCTAssertEqual(shown.status, .ok)
            XCTAssertEqual(try HTTPTestSupport.decode(RoomResource.self, shown).id, id)

            let list = try await client.execute(uri: "/v1/rooms", method: .get, headers: HTTPTestSupport.admin)
            XCTAssertEqual(list.status, .ok)
            XCTAssertEqual(try HTTPTestSupport.decode(RoomList.self, list).rooms.map(\.id), [id])

            let deleted = try await client.execute(uri: "/v1/rooms/\(id)", method: .delete, headers: HTTPTestSupport.admin)
            XCTAssertEqual(deleted.status, .noContent)
            let gone = try await client.execute(uri: "/v1/rooms/\(id)", method: .get, headers: HTTPTestSupport.admin)
            try HTTPTestSupport.assertError(gone, .notFound, "room_not_found")
            let again = try await client.execute(uri: "/v1/rooms/\(id)", method: .delete, headers: HTTPTestSupport.admin)
            try HTTPTestSupport.assertError(again, .notFound, "room_not_found")
        }
    }

    func testDefaultsMaxParticipantsTo100() async throws {
        try await fixture.test { client in
            let created = try await client.execute(
                uri: "/v1/rooms", method: .post, headers: HTTPTestSupport.admin, body: HTTPTestSupport.json(["name": "x"]))
            XCTAssertEqual(created.status, .created)
            let room = try HTTPTestSupport.decode(RoomResource.self, created)
            XCTAssertEqual(room.maxParticipants, 100)
            XCTAssertFalse(room.hasPin)
        }
    }

    func testAdminRoutesNeedTheKey() async throws {
        let room = try await fixture.createRoom()
        let routes: [(String, HTTPRequest.Method)] = [
            ("/v1/rooms", .post), ("/v1/rooms", .get), ("/v1/rooms/\(room.id)", .get), ("/v1/rooms/\(room.id)", .delete),
            ("/v1/rooms/\(room.id)/participants", .get), ("/v1/rooms/\(room.id)/participants/p_x/mute", .post),
            ("/v1/rooms/\(room.id)/participants/p_x", .delete), ("/v1/media-servers", .get),
        ]
        try await fixture.test { client in
            for (uri, method) in routes {
                let missing = try await client.execute(uri: uri, method: method, headers: HTTPTestSupport.anonymous,
                                                       body: HTTPTestSupport.json(["name": "x", "muted": true]))
                try HTTPTestSupport.assertError(missing, .unauthorized, "unauthorized")
                let wrong = try await client.execute(
                    uri: uri, method: method, headers: [.authorization: "Bearer not-the-key"],
                    body: HTTPTestSupport.json(["name": "x", "muted": true]))
                try HTTPTestSupport.assertError(wrong, .unauthorized, "unauthorized")
                let basic = try await client.execute(uri: uri, method: method, headers: [.authorization: "Basic \(RoomdFixture.adminKey)"])
                try HTTPTestSupport.assertError(basic, .unauthorized, "unauthorized")
            }
        }
        let stillThere = try await fixture.app.rooms.listRooms()
        XCTAssertEqual(stillThere.map(\.id), [room.id], "unauthorized requests must not act")
    }

    func testBadJSONAndValidation() async throws {
        try await fixture.test { client in
            let notJSON = try await client.execute(
                uri: "/v1/rooms", method: .post, headers: HTTPTestSupport.admin, body: ByteBuffer(string: "{nope"))
            try HTTPTestSupport.assertError(notJSON, .badRequest, "invalid_json")
            let empty = try await client.execute(uri: "/v1/rooms", method: .post, headers: HTTPTestSupport.admin)
            try HTTPTestSupport.assertError(empty, .badRequest, "invalid_json")

            let invalid: [[String: Any]] = [
                [:], ["name": ""], ["name": "   "], ["name": String(repeating: "n", count: 101)], ["name": 7],
                ["name": "ok", "maxParticipants": 0], ["name": "ok", "maxParticipants": 10_001], ["name": "ok", "maxParticipants": "5"],
                ["name": "ok", "pin": ""], ["name": "ok", "pin": String(repeating: "1", count: 65)],
            ]
            for body in invalid {
                let response = try await client.execute(
                    uri: "/v1/rooms", method: .post, headers: HTTPTestSupport.admin, body: HTTPTestSupport.json(body))
                try HTTPTestSupport.assertError(response, .badRequest, "invalid_request")
            }
            let longest = try await client.execute(
                uri: "/v1/rooms", method: .post, headers: HTTPTestSupport.admin,
                body: HTTPTestSupport.json(["name": String(repeating: "n", count: 100), "maxParticipants": 10_000]))
            XCTAssertEqual(longest.status, .created)
        }
    }

    func testUnknownRoomsAndRoutes() async throws {
        try await fixture.test { client in
            for id in ["r_doesnotexist", String(repeating: "z", count: 5000), "r_%F0%9F%98%80", "r_%27%20OR%201%3D1"] {
                let response = try await client.execute(uri: "/v1/rooms/\(id)", method: .get, headers: HTTPTestSupport.admin)
                try HTTPTestSupport.assertError(response, .notFound, "room_not_found")
            }
            let nul = try await client.execute(uri: "/v1/rooms/%00%2F..", method: .get, headers: HTTPTestSupport.admin)
            XCTAssertTrue([.notFound, .badRequest].contains(nul.status))
            XCTAssertNotNil(try HTTPTestSupport.object(nul)["error"])
            let route = try await client.execute(uri: "/v1/nothing-here", method: .get, headers: HTTPTestSupport.admin)
            try HTTPTestSupport.assertError(route, .notFound, "not_found")
            let deep = try await client.execute(uri: "/v1/rooms/a/b/c/d/e", method: .post, headers: HTTPTestSupport.anonymous)
            try HTTPTestSupport.assertError(deep, .notFound, "not_found")
        }
    }

    func testWrongMethodIs405() async throws {
        try await fixture.test { client in
            let response = try await client.execute(uri: "/v1/rooms", method: .put, headers: HTTPTestSupport.admin)
            try HTTPTestSupport.assertError(response, .methodNotAllowed, "method_not_allowed")
            XCTAssertEqual(response.headers[.allow], "GET, POST")
            let join = try await client.execute(uri: "/v1/rooms/r_x/join", method: .get, headers: HTTPTestSupport.anonymous)
            try HTTPTestSupport.assertError(join, .methodNotAllowed, "method_not_allowed")
        }
    }

    func testBodiesOver64KBAre413() async throws {
        let room = try await fixture.createRoom()
        let oversized = ByteBuffer(repeating: UInt8(ascii: " "), count: 64 * 1024 + 1)
        let atLimit = ByteBuffer(string: "{\"name\":\"fits\"}" + String(repeating: " ", count: 64 * 1024 - 15))
        try await fixture.test { client in
            var declared = HTTPTestSupport.admin
            declared[.contentLength] = String(oversized.readableBytes)
            let withLength = try await client.execute(uri: "/v1/rooms", method: .post, headers: declared, body: oversized)
            try HTTPTestSupport.assertError(withLength, .contentTooLarge, "payload_too_large")
            let join = try await client.execute(uri: "/v1/rooms/\(room.id)/join", method: .post, headers: HTTPTestSupport.anonymous, body: oversized)
            try HTTPTestSupport.assertError(join, .contentTooLarge, "payload_too_large")
            let fits = try await client.execute(uri: "/v1/rooms", method: .post, headers: HTTPTestSupport.admin, body: atLimit)
            XCTAssertEqual(fits.status, .created, String(buffer: fits.body))
        }
    }

    func testBodyCapHoldsWithoutContentLength() async throws {
        let request = Request(
            head: .init(method: .post, scheme: "http", authority: "x", path: "/v1/rooms"),
            body: .init(buffer: ByteBuffer(repeating: UInt8(ascii: "a"), count: 64 * 1024 + 1)))
        do {
            _ = try await JSONBody.collect(request)
            XCTFail("collected an oversized body")
        } catch let error as RoomError {
            XCTAssertEqual(error, .payloadTooLarge)
        }
    }

    func testMediaServersList() async throws {
        await fixture.registerMediaServer("m1", load: .init(rooms: 2, participants: 7))
        try await fixture.test { client in
            let response = try await client.execute(uri: "/v1/media-servers", method: .get, headers: HTTPTestSupport.admin)
            XCTAssertEqual(response.status, .ok)
            let list = try HTTPTestSupport.object(response)
            let servers = try XCTUnwrap(list["mediaServers"] as? [[String: Any]])
            XCTAssertEqual(servers.count, 1)
            XCTAssertEqual(servers[0]["id"] as? String, "m1")
            XCTAssertEqual(servers[0]["udpAddress"] as? String, "127.0.0.1:42000")
            XCTAssertEqual(servers[0]["healthy"] as? Bool, true)
            XCTAssertEqual(servers[0]["rooms"] as? Int, 2)
            XCTAssertEqual(servers[0]["participants"] as? Int, 7)
            XCTAssertEqual(servers[0]["lastHeartbeatAt"] as? String, "2027-01-15T08:00:00Z")
        }
    }

    func testHealthMetricsAndWebRoot() async throws {
        try await fixture.test { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            XCTAssertEqual(health.status, .ok)
            XCTAssertEqual(try HTTPTestSupport.object(health)["status"] as? String, "ok")
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            XCTAssertEqual(metrics.status, .ok)
            let index = try await client.execute(uri: "/?room=r_x&name=Ada", method: .get)
            XCTAssertEqual(index.status, .ok)
            XCTAssertEqual(String(buffer: index.body), "<html>parley web client</html>")
            let noAdmin = try await client.execute(uri: "/admin", method: .get)
            try HTTPTestSupport.assertError(noAdmin, .notFound, "not_found")
            let traversal = try await client.execute(uri: "/../data/roomd.sqlite", method: .get)
            XCTAssertNotEqual(traversal.status, .ok)
        }
        try "<html>admin</html>".write(toFile: fixture.config.webRoot + "/admin.html", atomically: true, encoding: .utf8)
        try await fixture.test { client in
            let admin = try await client.execute(uri: "/admin", method: .get)
            XCTAssertEqual(admin.status, .ok)
            XCTAssertEqual(String(buffer: admin.body), "<html>admin</html>")
        }
    }
}
