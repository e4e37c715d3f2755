import Foundation
import XCTest
@testable import RoomServer

final class PersistenceTests: XCTestCase {
    func testRoomsTokensAndPlacementsSurviveRestart() async throws {
        let fixture = try RoomdFixture()
        defer { fixture.cleanup() }
        await fixture.registerMediaServer("m1")
        let room = try await fixture.createRoom(name: "durable", pin: "9999", max: 7)
        let grant = try await fixture.join(room.id, pin: "9999")
        let kicked = try await fixture.join(room.id, pin: "9999")
        try await fixture.app.rooms.kick(kicked.participantId, from: room.id)

        try fixture.restart()
        let restored = try await fixture.app.rooms.room(room.id)
        XCTAssertEqual(restored.name, "durable")
        XCTAssertEqual(restored.maxParticipants, 7)
        XCTAssertTrue(restored.hasPin)
        XCTAssertEqual(restored.createdAt, room.createdAt)
        XCTAssertEqual(restored.participantCount, 0, "live presence comes back from signald, not the database")
        let observed11 = await fixture.app.mediaServers.placement(of: room.id)
        XCTAssertEqual(observed11, "m1")
        await assertThrows(.wrongPin) { _ = try await fixture.join(room.id, pin: "0000") }

        await fixture.registerMediaServer("m1")
        let admission = try await fixture.app.presence.admit(token: grant.token, connectionID: nil)
        XCTAssertEqual(admission.participant.id, grant.participantId)
        XCTAssertEqual(admission.mediaServerId, "m1")
        await assertThrows(.invalidToken) { _ = try await fixture.app.presence.admit(token: kicked.token, connectionID: nil) }
    }

    func testMigrationsAreIdempotent() throws {
        let directory = RoomdFixture.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/nested/dir/roomd.sqlite"
        _ = try RoomDatabase.open(path: path)
        let reopened = try RoomDatabase.open(path: path)
        let applied = try reopened.read { db in try RoomDatabase.migrator.appliedMigrations(db) }
        XCTAssertEqual(applied, ["v1"])
    }
}
