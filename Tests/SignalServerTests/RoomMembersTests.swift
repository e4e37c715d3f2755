import Foundation
import XCTest
import Wire
@testable import SignalServer

final class RoomMembersTests: XCTestCase {
    static func member(_ id: String, muted: Bool = false) -> RoomMembers.Member {
        RoomMembers.Member(participant: Participant(id: id, displayName: id.uppercased(), muted: muted, joinedAt: "2026-11-27T11:00:00Z"),
                           session: SignalSession(), mediaServerId: "m1")
    }

    /// Join order survives removals and replacements, and every lookup still finds its member.
    func testOrderAndLookupsThroughRemovals() {
        var room = RoomMembers()
        for id in ["a", "b", "c", "d"] { room[id] = Self.member(id) }
        room["b"] = nil
        room["a"] = Self.member("a", muted: true)  // a replaced session keeps its place
        room["e"] = Self.member("e")
        room["x"] = nil  // not there: nothing happens
        XCTAssertEqual(room.members.map(\.participant.id), ["a", "c", "d", "e"])
        XCTAssertEqual(room.count, 4)
        for id in ["a", "c", "d", "e"] { XCTAssertEqual(room[id]?.participant.id, id) }
        XCTAssertNil(room["b"])
        XCTAssertEqual(room["a"]?.participant.muted, true)
        for id in ["a", "c", "d", "e"] { room[id] = nil }
        XCTAssertTrue(room.isEmpty)
    }

    /// The JSON array is the members' participants, as JSONEncoder says them, and follows changes.
    func testOthersJSONFollowsChanges() throws {
        var room = RoomMembers()
        for id in ["a", "b", "c"] { room[id] = Self.member(id) }
        room["b"]?.participant.talking = true
        let others = room.others(than: "a")
        XCTAssertEqual(others.participants.map(\.id), ["b", "c"])
        let decoded = try JSONDecoder().decode([Participant].self, from: Data(others.json.utf8))
        XCTAssertEqual(decoded, others.participants)
        XCTAssertEqual(decoded.first?.talking, true)
        XCTAssertEqual(RoomMembers().others(than: "a").json, "[]")
    }
}
