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
}
