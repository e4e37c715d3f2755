import XCTest
@testable import MediaCore

/// The sans-IO sink: what is written comes out as transmits, in order; a declined
/// write leaves nothing; `removeAll` starts over.
final class DatagramListTests: XCTestCase {
    func testWrittenDatagramsComeOutInOrderAndDeclinedOnesLeaveNothing() throws {
        let list = DatagramList()
        let first = try XCTUnwrap(TransportAddress(ip: "127.0.0.1", port: 1000))
        let second = try XCTUnwrap(TransportAddress(ip: "::1", port: 2000))
        list.queue(to: first, capacity: 64) { buffer in
            buffer.copyBytes(from: [1, 2, 3])
            return 3
        }
        list.queue(to: second, capacity: 64) { _ in 0 }
        list.queue(to: second, capacity: 64) { _ in -1 }
        list.queue(to: second, capacity: 64) { _ in 65 }
        list.queue(to: second, capacity: 2) { buffer in
            buffer.copyBytes(from: [9, 8])
            return 2
        }
        XCTAssertEqual(list.transmits, [Transmit(bytes: [1, 2, 3], to: first), Transmit(bytes: [9, 8], to: second)])
        list.removeAll()
        XCTAssertTrue(list.isEmpty)
        XCTAssertEqual(list.transmits, [])
    }
}
