import XCTest
@testable import MediaCore

/// A big room's packets go out a slice at a time after its tick (mediad reads
/// datagrams in between), and whatever a tick left unsent goes first at the next:
/// either way every listener gets every frame, in order.
extension InMemoryCallTests {
    func testASlicedFanOutDeliversEveryFrame() throws {
        var ticksLeavingPackets = 0
        let received = try runCall(lossRate: 0, maxExtraDelay: 0, fanOutSlice: 1) { room, _ in
            if room.hasPendingFanOut { ticksLeavingPackets += 1 }
        }
        assertEachHearsTheOthers(received)
        // 200 ticks in 4 s; once all three are connected each tick sends one and leaves two.
        XCTAssertGreaterThan(ticksLeavingPackets, 150)
    }

    func testWhatATickLeftUnsentGoesFirstAtTheNext() throws {
        var ticksLeavingPackets = 0
        let received = try runCall(lossRate: 0, maxExtraDelay: 0, fanOutSlice: 1, continuesFanOut: false) { room, _ in
            if room.hasPendingFanOut { ticksLeavingPackets += 1 }
        }
        assertEachHearsTheOthers(received)
        XCTAssertGreaterThan(ticksLeavingPackets, 150)
    }

    func testAMeetingRoomSendsEverythingInItsTick() throws {
        var ticksLeavingPackets = 0
        let received = try runCall(lossRate: 0, maxExtraDelay: 0) { room, _ in
            if room.hasPendingFanOut { ticksLeavingPackets += 1 }
        }
        assertEachHearsTheOthers(received)
        XCTAssertEqual(ticksLeavingPackets, 0)
    }
}
