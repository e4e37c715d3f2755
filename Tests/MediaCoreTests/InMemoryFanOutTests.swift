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

    /// A participant who leaves while a tick's packets are still going out gets none
    /// of them (its session said goodbye), and the others still get theirs.
    func testAParticipantWhoLeftGetsNothingFromTheRestOfTheTick() throws {
        var rest: [Transmit] = []
        var goneAddress: TransportAddress?
        _ = try runCall(lossRate: 0, maxExtraDelay: 0, fanOutSlice: 1) { room, now in
            guard goneAddress == nil, now >= 2, room.fanOut.waiting.count == 2,
                  let id = room.fanOut.waiting.first, let address = room.members[id]?.session.remoteAddress else { return }
            goneAddress = address
            _ = room.remove(id)
            while room.hasPendingFanOut { rest += room.continueFanOut() }
        }
        let gone = try XCTUnwrap(goneAddress, "a tick left two packets to send")
        XCTAssertEqual(rest.count, 1, "the other waiting listener still gets its packet")
        XCTAssertFalse(rest.contains { $0.to == gone })
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
