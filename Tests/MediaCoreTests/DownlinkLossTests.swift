import XCTest
@testable import MediaCore

final class DownlinkLossTests: XCTestCase {
    func testNoReportMeansNoPlannedLoss() {
        XCTAssertEqual(DownlinkLoss().percent, 0)
    }

    func testFractionLostIsConvertedToPercentRoundingUp() {
        var loss = DownlinkLoss()
        loss.record(fractionLost: 64)
        XCTAssertEqual(loss.percent, 25)
        var tiny = DownlinkLoss()
        tiny.record(fractionLost: 1)
        XCTAssertEqual(tiny.percent, 1, "any loss at all counts")
        var total = DownlinkLoss()
        total.record(fractionLost: 255)
        XCTAssertEqual(total.percent, 100)
    }

    func testWorseReportsCountAtOnceBetterOnesHalfway() {
        var loss = DownlinkLoss()
        loss.record(fractionLost: 26) // 11 %
        loss.record(fractionLost: 77) // 31 %
        XCTAssertEqual(loss.percent, 31)
        loss.record(fractionLost: 0)
        XCTAssertEqual(loss.percent, 15)
        loss.record(fractionLost: 0)
        loss.record(fractionLost: 0)
        loss.record(fractionLost: 0)
        loss.record(fractionLost: 0)
        XCTAssertEqual(loss.percent, 0, "clean reports bring it back to no FEC")
        XCTAssertEqual(loss.reports, 7)
    }
}
