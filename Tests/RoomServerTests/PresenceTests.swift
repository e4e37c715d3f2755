import Foundation
import XCTest
@testable import RoomServer
@testable import Wire

final class PresenceTests: XCTestCase {
    var fixture: RoomdFixture!

    override func setUp() async throws {
        fixture = try RoomdFixture(tokenTTL: 60)
        await fixture.registerMediaServer("m1")
    }

    override func tearDown() async throws {
        fixture.cleanup()
    }

    func testAdmitValidatesTheToken() async throws {
        let room = try await fixture.createRoom()
        await assertThrows(.invalidToken) { _ = try await self.fixture.app.presence.admit(token: "made-up", connectionID: nil) }
        await assertThrows(.invalidToken) { _ = try await self.fixture.app.presence.admit(token: "", connectionID: nil) }
        let grant = try await fixture.join(room.id)
        let admission = try await fixture.app.presence.admit(token: grant.token, connectionID: nil)
        XCTAssertEqual(admission.roomId, room.id)
        XCTAssertEqual(admission.participant.id, grant.participantId)
        XCTAssertEqual(admission.participant.displayName, "Ada")
        XCTAssertEqual(admission.mediaServerId, "m1")
    }

    func testExpiredTokenIsRefused() async throws {
        let room = try await fixture.createRoom()
        let grant = try await fixture.join(room.id)
        fixture.clock.advance(by: 59)
        await fixture.registerMediaServer("m1")
        _ = try await fixture.app.presence.admit(token: grant.token, connectionID: nil)
        await fixture.app.presence.left(ParticipantLeft(roomId: room.id, participantId: grant.participantId, reason: "left"))
        fixture.clock.advance(by: 1)
        await fixture.registerMediaServer("m1")
        await assertThrows(.tokenExpired) { _ = try await self.fixture.app.presence.admit(token: grant.token, connectionID: nil) }
    }

    func testTokenForMissingRoom() async throws {
        let token = "orphan-token"
        try await TokenStore(database: fixture.app.database).insert(TokenRecord(
            tokenHash: TokenHasher.hash(token), roomId: "r_gone", participantId: "p_orphan", displayName: "O",
            expiresAt: fixture.clock.now.addingTimeInterval(60), revoked: false))
        await assertThrows(.roomNotFound) { _ = try await self.fixture.app.presence.admit(token: token, connectionID: nil) }
    }

    func testAdmitWithoutMediaServer() async throws {
        let room = try await fixture.createRoom()
        let grant = try await fixture.join(room.id)
        fixture.clock.advance(by: 10)  // m1's heartbeat goes stale
        await assertThrows(.noMediaServer) { _ = try await self.fixture.app.presence.admit(token: grant.token, connectionID: nil) }
    }

    func testRoomFullAtAdmitAndReadmitDoesNotDoubleCount() async throws {
        let room = try await fixture.createRoom(max: 2)
        let ada = try await fixture.join(room.id, name: "Ada")
        let bob = try await fixture.join(room.id, name: "Bob")
        let cy = try await fixture.join(room.id, name: "Cy")
        _ = try await fixture.app.presence.admit(token: ada.token, connectionID: nil)
        _ = try await fixture.app.presence.admit(token: ada.token, connectionID: nil)  // session replaced
        let observed2 = try await fixture.app.rooms.room(room.id).participantCount
        XCTAssertEqual(observed2, 1)
        _ = try await fixture.app.presence.admit(token: bob.token, connectionID: nil)
        let afterBob = await fixture.app.participants.participants(in: room.id)
        XCTAssertEqual(afterBob.map(\.displayName).sorted(), ["Ada", "Bob"])
        await assertThrows(.roomFull) { _ = try await self.fixture.app.presence.admit(token: cy.token, connectionID: nil) }
        _ = try await fixture.app.presence.admit(token: bob.token, connectionID: nil)  // replacing still fits
        await fixture.app.presence.left(ParticipantLeft(roomId: room.id, participantId: ada.participantId, reason: "left"))
        _ = try await fixture.app.presence.admit(token: cy.token, connectionID: nil)
        let afterCy = await fixture.app.participants.participants(in: room.id)
        XCTAssertEqual(afterCy.map(\.displayName).sorted(), ["Bob", "Cy"])
        let observed3 = try await fixture.app.rooms.room(room.id).participantCount
        XCTAssertEqual(observed3, 2)
    }

    func testChangedUpdatesMutedAndTalking() async throws {
        let room = try await fixture.createRoom()
        let admission = try await fixture.joinAndAdmit(room.id)
        var changed = admission.participant
        changed.muted = true
        changed.talking = true
        changed.displayName = "Renamed by a confused peer"
        await fixture.app.presence.changed(ParticipantChanged(roomId: room.id, participant: changed))
        let listed = try await fixture.app.rooms.participants(of: room.id)
        XCTAssertEqual(listed.count, 1)
        XCTAssertTrue(listed[0].muted)
        XCTAssertTrue(listed[0].talking)
        XCTAssertEqual(listed[0].displayName, "Ada")
        await fixture.app.presence.changed(ParticipantChanged(
            roomId: room.id, participant: Participant(id: "p_stranger", displayName: "S", joinedAt: "2027-01-15T08:00:00Z")))
        let observed4 = try await fixture.app.rooms.participants(of: room.id).count
        XCTAssertEqual(observed4, 1)
    }

    func testSyncReplacesListedRooms() async throws {
        let kept = try await fixture.createRoom(name: "kept")
        let replaced = try await fixture.createRoom(name: "replaced")
        let keeper = try await fixture.joinAndAdmit(kept.id, name: "Keeper")
        _ = try await fixture.joinAndAdmit(replaced.id, name: "Old")
        let fresh = Participant(id: "p_fresh", displayName: "Fresh", muted: true, joinedAt: "2027-01-15T07:59:00Z")
        try await fixture.app.presence.sync(
            SyncPresence(rooms: [.init(roomId: replaced.id, participants: [fresh]), .init(roomId: "r_unknown", participants: [fresh])]),
            connectionID: UUID(), liveConnections: [])
        let observed5 = try await fixture.app.rooms.participants(of: replaced.id)
        XCTAssertEqual(observed5, [fresh])
        let observed6 = try await fixture.app.rooms.participants(of: kept.id)
        XCTAssertEqual(observed6, [keeper.participant])
        let observed7 = await fixture.app.participants.counts()["r_unknown"]
        XCTAssertEqual(observed7, nil)
    }

    func testSyncFromRestartedSignaldDropsItsDeadSessions() async throws {
        let room = try await fixture.createRoom()
        let oldConnection = UUID()
        let grant = try await fixture.join(room.id)
        _ = try await fixture.app.presence.admit(token: grant.token, connectionID: oldConnection)
        try await fixture.app.presence.sync(SyncPresence(rooms: []), connectionID: UUID(), liveConnections: [])
        let observed8 = try await fixture.app.rooms.room(room.id).participantCount
        XCTAssertEqual(observed8, 0)
    }
}
