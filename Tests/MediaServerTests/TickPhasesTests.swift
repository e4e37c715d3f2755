import MediaCore
import NIOCore
import XCTest
@testable import MediaServer

/// Rooms are spread over the four 5 ms phases of the mixer period by load.
final class TickPhasesTests: XCTestCase {
    func testEmptyRoomsAreDealtRoundTheFourPhases() throws {
        var phases = TickPhases()
        let rooms = try (0..<8).map { try MixingRoom(id: "r\($0)") }
        let assigned = rooms.map { phases.add($0) }
        XCTAssertEqual(assigned, [0, 1, 2, 3, 0, 1, 2, 3])
        XCTAssertEqual(phases.rooms.map(\.count), [2, 2, 2, 2])
    }

    func testARemovedRoomFreesItsPhaseForTheNextOne() throws {
        var phases = TickPhases()
        let rooms = try (0..<8).map { try MixingRoom(id: "r\($0)") }
        rooms.forEach { phases.add($0) }
        phases.remove(rooms[6])
        XCTAssertNil(phases.phase(of: rooms[6]))
        XCTAssertEqual(phases.add(try MixingRoom(id: "new")), 2)
    }

    func testABusyPhaseGetsNoNewRoomUntilTheOthersCatchUp() throws {
        var phases = TickPhases()
        let big = try MixingRoom(id: "big")
        let certificate = DtlsCertificate.shared
        for index in 0..<3 {
            let offer = try AudioOffer(parsing: ClientPeer(certificate: certificate).offerSdp)
            try big.add(try ServerSession(participantId: "p\(index)", offer: offer, certificate: certificate,
                                          candidates: [TransportAddress(ip: "127.0.0.1", port: 40000)!], now: 0))
        }
        XCTAssertEqual(phases.add(big), 0)
        let next = try (0..<4).map { phases.add(try MixingRoom(id: "r\($0)")) }
        XCTAssertEqual(next, [1, 2, 3, 1], "phase 0 carries three participants, the others one each")
    }

    func testTheClockSkipsPhasesWithoutRoomsButNeverPhaseZero() throws {
        var phases = TickPhases()
        XCTAssertEqual((0..<4).map { phases.ticksToNextBusyPhase(after: $0) }, [4, 3, 2, 1], "no rooms: every 20 ms")
        phases.add(try MixingRoom(id: "a"))
        phases.add(try MixingRoom(id: "b"))
        XCTAssertEqual(phases.ticksToNextBusyPhase(after: 0), 1)
        XCTAssertEqual(phases.ticksToNextBusyPhase(after: 1), 3, "phases 2 and 3 are empty")
        XCTAssertEqual(phases.ticksToNextBusyPhase(after: 5), 3, "counts wrap around the period")
    }

    func testAnOverrunKeepsTheGridAndOnlyAWholeStalledPeriodIsDropped() {
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        let period = TimeAmount.milliseconds(20)
        let planned = start + .milliseconds(5)
        XCTAssertEqual(TickPhases.deadline(planned, now: start, period: period), planned, "on time")
        XCTAssertEqual(TickPhases.deadline(planned, now: planned + .milliseconds(3), period: period), planned,
                       "3 ms late: runs at once, the grid stays")
        let stalled = planned + .milliseconds(25)
        XCTAssertEqual(TickPhases.deadline(planned, now: stalled, period: period), stalled, "a stall re-anchors the clock")
    }

    // MARK: - Lining rooms up with their speakers

    func testTheTickMovesToJustAfterTheSpeakersFramesArrive() {
        XCTAssertEqual(TickPhases.alignmentSteps(waits: []), 4, "nobody speaking: stay")
        XCTAssertEqual(TickPhases.alignmentSteps(waits: [0.003]), 4, "already 3 ms after the arrival")
        XCTAssertEqual(TickPhases.alignmentSteps(waits: [0.017]), 1, "15 ms earlier: waits 2 ms")
        XCTAssertEqual(TickPhases.alignmentSteps(waits: [0.009]), 3, "5 ms earlier: waits 4 ms")
        XCTAssertEqual(TickPhases.alignmentSteps(waits: [0.001]), 5, "too close to the tick: a phase later")
        XCTAssertEqual(TickPhases.alignmentSteps(waits: [0.021]), 1, "a frame just missed the trim: 15 ms earlier")
        XCTAssertEqual(TickPhases.alignmentSteps(waits: [0.012, 0.002]), 4,
                       "speakers 10 ms apart: any move makes the longer wait longer")
        XCTAssertEqual(TickPhases.alignmentSteps(waits: [0.018, 0.008]), 3, "both 5 ms earlier")
        XCTAssertEqual(TickPhases.alignmentSteps(waits: [0.05]), 4, "a buffer deepened by a burst trims itself")
        XCTAssertEqual(TickPhases.alignmentSteps(waits: [0.0218, 0.0063, 0.0064]), 5,
                       "1.8 ms (with a safety frame), 6.3 and 6.4: 5 ms later gives 6.8 / 11.3 / 11.4 (15 ms earlier too, with two frames not there in time)")
        XCTAssertEqual(TickPhases.alignmentSteps(waits: [0.0118, 0.0268, 0.0113]), 4,
                       "after that move: the safety frame (6.8 + 20) is the trim's to give back, not a wait to chase")
    }

    func testARoomMovesOnlyAfterThreeTicksAskForTheSameMove() throws {
        var phases = TickPhases()
        let room = try MixingRoom(id: "a")
        XCTAssertEqual(phases.add(room), 0)
        XCTAssertNil(phases.align(room, in: 0, waits: [0.017]))
        XCTAssertNil(phases.align(room, in: 0, waits: [0.004]), "a tick that is fine resets the count")
        XCTAssertNil(phases.align(room, in: 0, waits: [0.017]))
        XCTAssertNil(phases.align(room, in: 0, waits: [0.017]))
        XCTAssertEqual(phases.align(room, in: 0, waits: [0.017]), 1)
        XCTAssertEqual(phases.phase(of: room), 1)
        XCTAssertFalse(phases.skipsTick(room), "moved earlier: mixes at its new phase's next tick")
    }

    func testARoomMovedLaterSitsOutOneTick() throws {
        var phases = TickPhases()
        let room = try MixingRoom(id: "a")
        phases.add(room)
        for _ in 0..<2 { XCTAssertNil(phases.align(room, in: 0, waits: [0.001])) }
        XCTAssertEqual(phases.align(room, in: 0, waits: [0.001]), 1)
        XCTAssertTrue(phases.skipsTick(room), "5 ms after its last mix is too early: skip to 25 ms")
        XCTAssertFalse(phases.skipsTick(room))
    }

    func testAPhaseThatWouldOverrunItsFiveMillisecondsTakesNoRoom() throws {
        var phases = TickPhases()
        let rooms = try (0..<2).map { try MixingRoom(id: "r\($0)") }
        rooms.forEach { phases.add($0) }
        for _ in 0..<100 {
            phases.recordBusy(0.002, phase: 0)
            phases.recordBusy(0.0035, phase: 1)
        }
        for _ in 0..<3 { XCTAssertNil(phases.align(rooms[0], in: 0, waits: [0.019])) }
        XCTAssertEqual(phases.phase(of: rooms[0]), 0, "3.5 + 2 ms would not fit in 5")
        for _ in 0..<100 { phases.recordBusy(0.001, phase: 1) }
        for _ in 0..<2 { XCTAssertNil(phases.align(rooms[0], in: 0, waits: [0.019])) }
        XCTAssertEqual(phases.align(rooms[0], in: 0, waits: [0.019]), 1)
        XCTAssertEqual(phases.busy[1], 0.003, accuracy: 0.0001, "the moved room's cost goes with it")
    }

    func testAMoveIntoAPhaseWithRoomsLeavesAWiderMargin() throws {
        XCTAssertEqual(TickPhases.alignmentSteps(waits: [0.007, 0.017]), 3, "5 ms earlier: 2 and 12 ms")
        XCTAssertEqual(TickPhases.alignmentSteps(waits: [0.007, 0.017], crowded: 0b1110), 4,
                       "2 ms predicted among other rooms is no margin: stay at 7 and 17 ms")
        XCTAssertEqual(TickPhases.alignmentSteps(waits: [0.009, 0.019], crowded: 0b1110), 3, "4 and 14 ms are")
        var phases = TickPhases()
        let room = try MixingRoom(id: "a")
        phases.add(room)
        for index in 0..<4 { phases.add(try MixingRoom(id: "other\(index)")) }
        for _ in 0..<2 { XCTAssertNil(phases.align(room, in: 0, waits: [0.001, 0.011])) }
        XCTAssertEqual(phases.align(room, in: 0, waits: [0.001, 0.011]), 1, "1 ms before the tick: a phase later")
        for _ in 0..<10 { XCTAssertNil(phases.align(room, in: 1, waits: [0.007, 0.017]), "no swing back") }
        XCTAssertEqual(phases.phase(of: room), 1)
    }

    func testARoomTooBigForAnyPhaseStillMovesIntoAnEmptyOne() throws {
        var phases = TickPhases()
        let townHall = try MixingRoom(id: "town-hall")
        phases.add(townHall)
        for _ in 0..<100 { phases.recordBusy(0.012, phase: 0) }
        for _ in 0..<2 { XCTAssertNil(phases.align(townHall, in: 0, waits: [0.017, 0.012, 0.007])) }
        XCTAssertEqual(phases.align(townHall, in: 0, waits: [0.017, 0.012, 0.007]), 3,
                       "5 ms earlier: 12 ms of mixing fits no 5 ms phase, but it delays no other room there")
        let meetings = try (0..<3).map { try MixingRoom(id: "meeting\($0)") }
        XCTAssertEqual(meetings.map { phases.add($0) }, [0, 1, 2], "new rooms go to the other phases")
        for _ in 0..<100 { phases.recordBusy(0.012, phase: 3) }
        for _ in 0..<3 { XCTAssertNil(phases.align(townHall, in: 3, waits: [0.017, 0.012, 0.007])) }
        XCTAssertEqual(phases.phase(of: townHall), 3, "phase 2 has a room now, which 12 ms more would delay")
    }
}

/// A room alone in its phase lines its tick up with its speakers to within a fraction
/// of a millisecond, not just to the nearest 5 ms phase.
extension TickPhasesTests {
    private func window(_ phases: inout TickPhases, _ room: MixingRoom, in phase: Int, waits: [Double]) -> (phase: Int, offset: Double)? {
        for _ in 1..<TickPhases.fineWindow { XCTAssertNil(phases.fineAlign(room, in: phase, waits: waits)) }
        return phases.fineAlign(room, in: phase, waits: waits)
    }

    func testATickTooCloseToAnArrivalComesLaterWithinItsPhase() throws {
        var phases = TickPhases()
        let room = try MixingRoom(id: "a")
        phases.add(room)
        let moved = try XCTUnwrap(window(&phases, room, in: 0, waits: [0.0105, 0.0005]))
        XCTAssertEqual(moved.phase, 0)
        XCTAssertEqual(moved.offset, 0.0015, accuracy: 1e-9, "0.5 ms before the tick: 1.5 ms later, to the 2 ms margin")
        XCTAssertEqual(phases.offsets[0], 0.0015, accuracy: 1e-9)
    }

    func testSpareWaitIsGivenBackByHalvesAndPastThePhaseStartIntoAnEmptyOne() throws {
        var phases = TickPhases()
        let room = try MixingRoom(id: "a")
        phases.add(room)
        let moved = try XCTUnwrap(window(&phases, room, in: 0, waits: [0.0145, 0.0045]))
        XCTAssertEqual(moved.phase, 3, "2.5 ms spare, 1.25 ms earlier: before phase 0 starts, so in phase 3")
        XCTAssertEqual(moved.offset, 0.005 - 0.00125, accuracy: 1e-9)
        XCTAssertFalse(phases.skipsTick(room), "moved earlier: mixes at its new phase's next tick")
        XCTAssertEqual(phases.phase(of: room), 3)
    }

    func testTheShortestWaitOfTheWindowDecidesAndSmallOrWholePhaseShiftsAreLeft() throws {
        var phases = TickPhases()
        let room = try MixingRoom(id: "a")
        phases.add(room)
        for _ in 1..<TickPhases.fineWindow { XCTAssertNil(phases.fineAlign(room, in: 0, waits: [0.009])) }
        XCTAssertNil(phases.fineAlign(room, in: 0, waits: [0.0021]), "one wait of 2.1 ms in the window: close enough")
        XCTAssertNil(window(&phases, room, in: 0, waits: [0.012]), "10 ms spare is align's to move by phases")
        XCTAssertEqual(phases.offsets[0], 0)
    }

    func testARoomSharingItsPhaseLeavesTheOffsetAlone() throws {
        var phases = TickPhases()
        let rooms = try (0..<5).map { try MixingRoom(id: "r\($0)") }
        rooms.forEach { phases.add($0) }
        XCTAssertEqual(phases.rooms[0].count, 2)
        XCTAssertNil(window(&phases, rooms[0], in: 0, waits: [0.0005]))
        XCTAssertEqual(phases.offsets[0], 0)
    }

    func testAMoveLaterPastThePhaseEndSitsOutATick() throws {
        var phases = TickPhases()
        let room = try MixingRoom(id: "a")
        phases.add(room)
        _ = try XCTUnwrap(window(&phases, room, in: 0, waits: [0.0005]))
        _ = try XCTUnwrap(window(&phases, room, in: 0, waits: [0.0005]))
        _ = try XCTUnwrap(window(&phases, room, in: 0, waits: [0.0005]))
        let moved = try XCTUnwrap(window(&phases, room, in: 0, waits: [0.0005]), "4.5 + 1.5 ms is past the phase")
        XCTAssertEqual(moved.phase, 1)
        XCTAssertEqual(moved.offset, 0.0015 * 4 - 0.005, accuracy: 1e-9)
        XCTAssertTrue(phases.skipsTick(room), "its new phase's next tick is too soon")
    }
}
