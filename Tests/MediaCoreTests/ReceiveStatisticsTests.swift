import XCTest
@testable import MediaCore

final class ReceiveStatisticsTests: XCTestCase {
    func testInOrderNoLossNoJitter() {
        var stats = ReceiveStatistics(ssrc: 5)
        for i in 0..<100 {
            stats.record(sequenceNumber: UInt16(1000 + i), rtpTimestamp: UInt32(i * 960), arrival: Double(i) * 0.02)
        }
        let block = stats.makeReportBlock(now: 2)
        XCTAssertEqual(block.ssrc, 5)
        XCTAssertEqual(block.extendedHighestSequence, 1099)
        XCTAssertEqual(block.cumulativeLost, 0)
        XCTAssertEqual(block.fractionLost, 0)
        XCTAssertEqual(block.jitter, 0)
        XCTAssertEqual(block.lastSenderReport, 0)
    }

    func testWrapAroundAndLoss() {
        var stats = ReceiveStatistics(ssrc: 5)
        var sequence: UInt16 = 65530
        for i in 0..<20 {
            if i % 4 != 3 { // drop every fourth packet
                stats.record(sequenceNumber: sequence, rtpTimestamp: UInt32(i * 960), arrival: Double(i) * 0.02)
            }
            sequence &+= 1
        }
        // Last sent was i=19 (dropped), so the highest received is i=18: 65530 + 18.
        XCTAssertEqual(stats.extendedHighestSequence, 65536 + 12)
        XCTAssertEqual(stats.expectedPackets, 19)
        XCTAssertEqual(stats.packetsReceived, 15)
        let block = stats.makeReportBlock(now: 1)
        XCTAssertEqual(block.cumulativeLost, 4)
        XCTAssertEqual(block.fractionLost, UInt8((4 << 8) / 19))
        // Next interval without loss reports fraction 0 while cumulative loss stays.
        for i in 20..<30 {
            stats.record(sequenceNumber: sequence, rtpTimestamp: UInt32(i * 960), arrival: Double(i) * 0.02)
            sequence &+= 1
        }
        let next = stats.makeReportBlock(now: 2)
        // Only i=19 (now known lost) falls into this interval: 1 of 11.
        XCTAssertEqual(next.fractionLost, UInt8((1 << 8) / 11))
        XCTAssertEqual(next.cumulativeLost, 5)
    }

    func testDuplicatesMakeLossNegative() {
        var stats = ReceiveStatistics(ssrc: 1)
        stats.record(sequenceNumber: 10, rtpTimestamp: 0, arrival: 0)
        stats.record(sequenceNumber: 10, rtpTimestamp: 0, arrival: 0)
        XCTAssertEqual(stats.cumulativeLost, -1)
        XCTAssertEqual(stats.makeReportBlock(now: 0).cumulativeLost, -1)
    }

    func testLargeJumpNeedsConfirmationThenRestarts() {
        var stats = ReceiveStatistics(ssrc: 1)
        for i in 0..<5 { stats.record(sequenceNumber: UInt16(i), rtpTimestamp: 0, arrival: 0) }
        stats.record(sequenceNumber: 40000, rtpTimestamp: 0, arrival: 0)
        XCTAssertEqual(stats.extendedHighestSequence, 4) // ignored once
        stats.record(sequenceNumber: 40001, rtpTimestamp: 0, arrival: 0)
        XCTAssertEqual(stats.extendedHighestSequence, 40001)
        XCTAssertEqual(stats.packetsReceived, 1)
        XCTAssertEqual(stats.cumulativeLost, 0)
    }

    func testJitterTracksArrivalVariation() {
        var stats = ReceiveStatistics(ssrc: 1)
        // Alternating 10 ms early/late around a 20 ms grid: |D| = 480 timestamp units.
        for i in 0..<500 {
            let offset = (i % 2 == 0) ? 0.0 : 0.01
            stats.record(sequenceNumber: UInt16(i), rtpTimestamp: UInt32(i * 960), arrival: Double(i) * 0.02 + offset)
        }
        XCTAssertEqual(stats.jitter, 480, accuracy: 1)
        XCTAssertEqual(stats.makeReportBlock(now: 10).jitter, 480)
    }

    func testSenderReportDelay() {
        var stats = ReceiveStatistics(ssrc: 1)
        stats.record(sequenceNumber: 1, rtpTimestamp: 0, arrival: 0)
        stats.recordSenderReport(compactNtp: 0xABCD_0123, arrival: 10)
        let block = stats.makeReportBlock(now: 10.5)
        XCTAssertEqual(block.lastSenderReport, 0xABCD_0123)
        XCTAssertEqual(block.delaySinceLastSenderReport, 32768)
    }
}
