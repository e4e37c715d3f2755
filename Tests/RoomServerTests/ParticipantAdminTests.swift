import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest
@testable import RoomServer
@testable import Wire

final class ParticipantAdminTests: XCTestCase {
    var fixture: RoomdFixture!
    var room: RoomResource!

    override func setUp() async throws {
        fixture = try RoomdFixture()
        await fixture.registerMediaServer("m1")
        room = try await fixture.createRoom()
    }

    override func tearDown() async throws {
        fixture.cleanup()
    }

    func testListsLiveParticipants() async throws {
        let ada = try await fixture.joinAndAdmit(room.id, name: "Ada")
        fixture.clock.advance(by: 1)
        _ = try await fixture.joinAndAdmit(room.id, name: "Bob")
        try await fixture.test { [room] client in
            let response = try await client.execute(uri: "/v1/rooms/\(room!.id)/participants", method: .get, headers: HTTPTestSupport.admin)
            XCTAssertEqual(response.status, .ok)
            let list = try HTTPTestSupport.object(response)
            let participants = try XCTUnwrap(list["participants"] as? [[String: Any]])
            XCTAssertEqual(participants.map { $0["displayName"] as? String }, ["Ada", "Bob"])
            XCTAssertEqual(participants[0]["id"] as? String, ada.participant.id)
            XCTAssertEqual(participants[0]["muted"] as? Bool, false)
            XCTAssertEqual(participants[0]["talking"] as? Bool, false)
            XCTAssertEqual(participants[0]["joinedAt"] as? String, "2027-01-15T08:00:00Z")
            let unknown = try await client.execute(uri: "/v1/rooms/r_unknown/participants", method: .get, headers: HTTPTestSupport.admin)
            try HTTPTestSupport.assertError(unknown, .notFound, "room_not_found")
        }
    }

    func testMuteBroadcastsAndAnswersParticipant() async throws {
        let ada = try await fixture.joinAndAdmit(room.id, name: "Ada")
        try await fixture.test { [room] client in
            let response = try await client.execute(
                uri: "/v1/rooms/\(room!.id)/participants/\(ada.participant.id)/mute", method: .post,
                headers: HTTPTestSupport.admin, body: HTTPTestSupport.json(["muted": true]))
            XCTAssertEqual(response.status, .ok, String(buffer: response.body))
            let participant = try HTTPTestSupport.decode(Participant.self, response)
            XCTAssertEqual(participant.id, ada.participant.id)
            XCTAssertTrue(participant.muted)

            let bad = try await client.execute(
                uri: "/v1/rooms/\(room!.id)/participants/\(ada.participant.id)/mute", method: .post,
                headers: HTTPTestSupport.admin, body: HTTPTestSupport.json(["muted": "yes"]))
            try HTTPTestSupport.assertError(bad, .badRequest, "invalid_request")
            let unknown = try await client.execute(
                uri: "/v1/rooms/\(room!.id)/participants/p_nobody/mute", method: .post,
                headers: HTTPTestSupport.admin, body: HTTPTestSupport.json(["muted": true]))
            try HTTPTestSupport.assertError(unknown, .notFound, "participant_not_found")
            let unknownRoom = try await client.execute(
                uri: "/v1/rooms/r_nope/participants/\(ada.participant.id)/mute", method: .post,
                headers: HTTPTestSupport.admin, body: HTTPTestSupport.json(["muted": true]))
            try HTTPTestSupport.assertError(unknownRoom, .notFound, "room_not_found")
        }
        let commands = fixture.sink.events(of: SetParticipantMuted.self)
        XCTAssertEqual(commands.count, 1)
        XCTAssertEqual(commands.first?.roomId, room.id)
        XCTAssertEqual(commands.first?.participant.muted, true)
        let observed12 = try await fixture.app.rooms.participants(of: room.id).first?.muted
        XCTAssertEqual(observed12, true)
    }

    func testKickRevokesTokenAndBroadcasts() async throws {
        let grant = try await fixture.join(room.id, name: "Ada")
        let admission = try await fixture.app.presence.admit(token: grant.token, connectionID: nil)
        try await fixture.test { [room] client in
            let kicked = try await client.execute(
                uri: "/v1/rooms/\(room!.id)/participants/\(admission.participant.id)", method: .delete, headers: HTTPTestSupport.admin)
            XCTAssertEqual(kicked.status, .noContent)
            let again = try await client.execute(
                uri: "/v1/rooms/\(room!.id)/participants/\(admission.participant.id)", method: .delete, headers: HTTPTestSupport.admin)
            try HTTPTestSupport.assertError(again, .notFound, "participant_not_found")
        }
        XCTAssertEqual(fixture.sink.events(of: KickParticipant.self).map(\.participantId), [admission.participant.id])
        let observed13 = try await fixture.app.rooms.room(room.id).participantCount
        XCTAssertEqual(observed13, 0)
        do {
            _ = try await fixture.app.presence.admit(token: grant.token, connectionID: nil)
            XCTFail("kicked token still admitted")
        } catch let error as RoomError {
            XCTAssertEqual(error, .invalidToken)
        }
    }

    func testKickOfUnusedJoinRevokesIt() async throws {
        let grant = try await fixture.join(room.id, name: "Ada")
        try await fixture.app.rooms.kick(grant.participantId, from: room.id)
        await assertThrows(.invalidToken) { _ = try await self.fixture.app.presence.admit(token: grant.token, connectionID: nil) }
        await assertThrows(.participantNotFound) { try await self.fixture.app.rooms.kick("p_neverexisted", from: self.room.id) }
    }

    func testDeleteRoomClosesItAndRevokesTokens() async throws {
        let used = try await fixture.join(room.id, name: "Ada")
        _ = try await fixture.app.presence.admit(token: used.token, connectionID: nil)
        let unused = try await fixture.join(room.id, name: "Bob")
        try await fixture.test { [room] client in
            let response = try await client.execute(uri: "/v1/rooms/\(room!.id)", method: .delete, headers: HTTPTestSupport.admin)
            XCTAssertEqual(response.status, .noContent)
        }
        XCTAssertEqual(fixture.sink.events(of: CloseRoom.self).map(\.roomId), [room.id])
        for token in [used.token, unused.token] {
            await assertThrows(.invalidToken) { _ = try await self.fixture.app.presence.admit(token: token, connectionID: nil) }
        }
        let observed14 = await fixture.app.participants.total
        XCTAssertEqual(observed14, 0)
    }
}

func assertThrows(_ expected: RoomError, file: StaticString = #filePath, line: UInt = #line, _ body: () async throws -> Void) async {
    do {
        try await body()
        XCTFail("expected \(expected.code)", file: file, line: line)
    } catch let error as RoomError {
        XCTAssertEqual(error, expected, file: file, line: line)
    } catch {
        XCTFail("unexpected \(error)", file: file, line: line)
    }
}
