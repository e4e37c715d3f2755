import Foundation
import XCTest
@testable import RoomServer
@testable import Wire

final class PlacementTests: XCTestCase {
    var fixture: RoomdFixture!

    override func setUp() async throws {
        fixture = try RoomdFixture()
    }

    override func tearDown() async throws {
        fixture.cleanup()
    }

    func placement(_ roomId: String) async -> String? {
        await fixture.app.mediaServers.placement(of: roomId)
    }

    func testPlacesOnLeastLoadedHealthyInstance() async throws {
        await fixture.registerMediaServer("busy", load: .init(rooms: 1, participants: 9))
        await fixture.registerMediaServer("idle", load: .init(rooms: 3, participants: 0))
        await fixture.registerMediaServer("idle2", load: .init(rooms: 4, participants: 0))
        let first = try await fixture.createRoom()
        let observed15 = await placement(first.id)
        XCTAssertEqual(observed15, "idle", "fewest participants, then fewest rooms")
        // roomd's own placements count: "idle" now has 4 rooms by its report or ours.
        try await fixture.joinAndAdmit(first.id)
        let second = try await fixture.createRoom()
        let observed16 = await placement(second.id)
        XCTAssertEqual(observed16, "idle2", "idle carries a live participant now")
    }

    func testSkipsStaleInstances() async throws {
        await fixture.registerMediaServer("old")
        fixture.clock.advance(by: 2)
        await fixture.registerMediaServer("new", load: .init(rooms: 50, participants: 50))
        fixture.clock.advance(by: 1.5)  // old: 3.5 s since its heartbeat, new: 1.5 s
        let room = try await fixture.createRoom()
        let observed17 = await placement(room.id)
        XCTAssertEqual(observed17, "new")
        await fixture.app.mediaServers.heartbeat(id: "old", load: .init(), now: fixture.clock.now)
        let observed18 = await fixture.app.mediaServers.isHealthy("old", now: fixture.clock.now)
        XCTAssertTrue(observed18)
    }

    func testRoomCreatedWithoutMediaServerIsPlacedAtFirstJoin() async throws {
        let room = try await fixture.createRoom()
        let observed19 = await placement(room.id)
        XCTAssertNil(observed19)
        await fixture.registerMediaServer("m1")
        _ = try await fixture.join(room.id)
        let observed20 = await placement(room.id)
        XCTAssertEqual(observed20, "m1")
        let observed21 = try await fixture.app.database.read { db in
            try String.fetchOne(db, sql: "SELECT media_server_id FROM rooms WHERE id = ?", arguments: [room.id])
        }
        XCTAssertEqual(observed21, "m1")
    }

    func testJoinReplacesRoomOnUnhealthyInstance() async throws {
        await fixture.registerMediaServer("a")
        let room = try await fixture.createRoom()
        let observed22 = await placement(room.id)
        XCTAssertEqual(observed22, "a")
        fixture.clock.advance(by: 5)
        await fixture.registerMediaServer("b")
        _ = try await fixture.join(room.id)
        let observed23 = await placement(room.id)
        XCTAssertEqual(observed23, "b")
    }

    func testLossByDisconnectReplacesRoomsAndTellsSignald() async throws {
        let connection = UUID()
        _ = await fixture.app.placement.register(
            RegisterMediaServer(id: "dying", udpAddress: "127.0.0.1:40000", capacity: 10, load: .init()), connectionID: connection)
        let rooms = [try await fixture.createRoom(name: "one"), try await fixture.createRoom(name: "two")]
        await fixture.registerMediaServer("spare", load: .init(rooms: 5, participants: 5))
        await fixture.app.placement.connectionClosed(connection)

        let lost = fixture.sink.events(of: MediaServerLost.self)
        XCTAssertEqual(lost.count, 1)
        XCTAssertEqual(lost.first?.mediaServerId, "dying")
        XCTAssertEqual(Set(lost.first?.roomIds ?? []), Set(rooms.map(\.id)))
        for room in rooms {
            let placed = await placement(room.id)
            XCTAssertEqual(placed, "spare")
        }
        let statuses = await fixture.app.placement.statuses()
        XCTAssertEqual(statuses.first { $0.id == "dying" }?.healthy, false)
        await fixture.app.placement.connectionClosed(connection)
        await fixture.app.placement.sweep()
        XCTAssertEqual(fixture.sink.events(of: MediaServerLost.self).count, 1, "a loss is handled once")
    }

    func testLossByStaleHeartbeatClearsPlacementWhenNothingIsLeft() async throws {
        await fixture.registerMediaServer("only")
        let room = try await fixture.createRoom()
        fixture.clock.advance(by: 2)
        await fixture.app.placement.sweep()
        XCTAssertTrue(fixture.sink.events(of: MediaServerLost.self).isEmpty, "2 s is not stale yet")
        fixture.clock.advance(by: 2)
        await fixture.app.placement.sweep()
        XCTAssertTrue(fixture.sink.events(of: MediaServerLost.self).isEmpty, "4 s: stale (no new rooms) but not lost")
        let stale = await fixture.app.placement.statuses()
        XCTAssertEqual(stale.first { $0.id == "only" }?.healthy, false)
        fixture.clock.advance(by: 5)
        await fixture.app.placement.sweep()
        XCTAssertEqual(fixture.sink.events(of: MediaServerLost.self).map(\.roomIds), [[room.id]])
        let observed24 = await placement(room.id)
        XCTAssertNil(observed24)
        await assertThrows(.noMediaServer) { _ = try await self.fixture.join(room.id) }
        await fixture.registerMediaServer("only")  // it comes back
        _ = try await fixture.join(room.id)
        let observed25 = await placement(room.id)
        XCTAssertEqual(observed25, "only")
    }
}
