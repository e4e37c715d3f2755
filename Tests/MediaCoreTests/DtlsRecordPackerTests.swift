import XCTest
@testable import MediaCore

final class DtlsRecordPackerTests: XCTestCase {
    private func record(type: UInt8, bodyLength: Int) -> [UInt8] {
        [type, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 1, UInt8(bodyLength >> 8), UInt8(bodyLength & 0xFF)]
            + [UInt8](repeating: type, count: bodyLength)
    }

    func testSplitsStreamIntoRecords() {
        let stream = record(type: 22, bodyLength: 5) + record(type: 20, bodyLength: 1)
        let records = DtlsRecordPacker.records(in: stream)
        XCTAssertEqual(records.map(\.count), [18, 14])
        XCTAssertEqual(records.first?.first, 22)
    }

    func testDropsTruncatedTrailingRecord() {
        let stream = record(type: 22, bodyLength: 5) + Array(record(type: 22, bodyLength: 10).prefix(15))
        XCTAssertEqual(DtlsRecordPacker.records(in: stream).count, 1)
    }

    func testPacksWholeRecordsUnderMtu() {
        let big = record(type: 22, bodyLength: 700)
        let small = record(type: 20, bodyLength: 1)
        let datagrams = DtlsRecordPacker.datagrams(from: big + small + big, mtu: 1200)
        XCTAssertEqual(datagrams.count, 2)
        XCTAssertEqual(datagrams[0], big + small)
        XCTAssertEqual(datagrams[1], big)
        XCTAssertTrue(datagrams.allSatisfy { $0.count <= 1200 })
    }
}
