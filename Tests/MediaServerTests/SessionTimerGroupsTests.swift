import MediaCore
import XCTest
@testable import MediaServer

/// Each session's timers run once every five mixer periods (100 ms), a fifth of
/// the sessions per period.
final class SessionTimerGroupsTests: XCTestCase {
    private func sessions(_ count: Int) throws -> [ServerSession] {
        let certificate = DtlsCertificate.shared
        return try (0..<count).map { index in
            let offer = try AudioOffer(parsing: ClientPeer(certificate: certificate).offerSdp)
            return try ServerSession(participantId: "p\(index)", offer: offer, certificate: certificate,
                                     candidates: [TransportAddress(ip: "127.0.0.1", port: 40000)!], now: 0)
        }
    }

    private func ids(_ sessions: [ServerSession]) -> [String] { sessions.map(\.participantId).sorted() }

    func testEverySessionIsDueOnceInFivePeriods() throws {
        var groups = SessionTimerGroups()
        let all = try sessions(12)
        all.forEach { groups.add($0) }
        let perPeriod = (0..<5).map { groups.due(inPeriod: $0) }
        XCTAssertEqual(perPeriod.map(\.count).sorted(), [2, 2, 3, 3, 2].sorted(), "dealt evenly")
        XCTAssertEqual(ids(perPeriod.flatMap { $0 }), ids(all), "each exactly once")
        XCTAssertEqual(ids(groups.due(inPeriod: 7)), ids(groups.due(inPeriod: 2)), "the cycle repeats")
    }

    func testARemovedSessionIsNoLongerDueAndItsPlaceIsRefilled() throws {
        var groups = SessionTimerGroups()
        let all = try sessions(10)
        all.forEach { groups.add($0) }
        let gone = all[3]
        let period = (0..<5).first { groups.due(inPeriod: $0).contains { $0 === gone } } ?? -1
        groups.remove(gone)
        XCTAssertEqual(groups.sessionCount, 9)
        XCTAssertFalse((0..<5).contains { groups.due(inPeriod: $0).contains { $0 === gone } })
        let newcomer = try sessions(1)[0]
        groups.add(newcomer)
        XCTAssertTrue(groups.due(inPeriod: period).contains { $0 === newcomer }, "joins the group that lost one")
    }
}
