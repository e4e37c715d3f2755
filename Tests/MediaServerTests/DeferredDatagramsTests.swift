import XCTest
import MediaCore
@testable import MediaServer

/// Datagrams read during a big room's slices wait with their read times: each must
/// come back as it was read, in order, and a full list must refuse rather than grow.
final class DeferredDatagramsTests: XCTestCase {
    private let first = TransportAddress(ip: "127.0.0.1", port: 5000)!
    private let second = TransportAddress(ip: "::1", port: 6000)!

    func testKeepsEachDatagramWithItsSourceAndReadTimeInOrder() {
        var deferred = DeferredDatagrams()
        var packet: [UInt8] = [0x80, 111, 0, 1]
        XCTAssertTrue(deferred.append(packet, from: first, at: 10.0))
        packet[3] = 2  // the caller's buffer is reused for the next read
        XCTAssertTrue(deferred.append(packet + [9, 9], from: second, at: 10.25))
        XCTAssertEqual(deferred.count, 2)
        let (bytes0, source0, arrival0) = deferred.entry(0)
        XCTAssertEqual(bytes0, [0x80, 111, 0, 1], "a copy, not the reader's buffer")
        XCTAssertEqual(source0, first)
        XCTAssertEqual(arrival0, 10.0)
        let (bytes1, source1, arrival1) = deferred.entry(1)
        XCTAssertEqual(bytes1, [0x80, 111, 0, 2, 9, 9])
        XCTAssertEqual(source1, second)
        XCTAssertEqual(arrival1, 10.25)
    }

    func testEmptiedListReusesItsSlotsForNewDatagrams() {
        var deferred = DeferredDatagrams()
        XCTAssertTrue(deferred.append(Array(repeating: 7, count: 200), from: first, at: 1))
        deferred.removeAll()
        XCTAssertEqual(deferred.count, 0)
        XCTAssertTrue(deferred.append([1, 2, 3], from: second, at: 2))
        XCTAssertEqual(deferred.count, 1)
        XCTAssertEqual(deferred.entry(0).bytes, [1, 2, 3], "nothing of the longer datagram before it")
        XCTAssertEqual(deferred.entry(0).source, second)
    }

    func testAFullListRefusesSoTheCallerHandlesTheDatagramAtOnce() {
        var deferred = DeferredDatagrams()
        for index in 0..<DeferredDatagrams.capacity {
            XCTAssertTrue(deferred.append([UInt8(truncatingIfNeeded: index)], from: first, at: Double(index)))
        }
        XCTAssertFalse(deferred.append([0xFF], from: first, at: 1e6))
        XCTAssertEqual(deferred.count, DeferredDatagrams.capacity)
        XCTAssertEqual(deferred.entry(DeferredDatagrams.capacity - 1).bytes, [UInt8(truncatingIfNeeded: DeferredDatagrams.capacity - 1)])
    }
}
