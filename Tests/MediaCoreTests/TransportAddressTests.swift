import XCTest
@testable import MediaCore

final class TransportAddressTests: XCTestCase {
    func testIPv4RoundTrip() throws {
        let address = try XCTUnwrap(TransportAddress(ip: "192.0.2.1", port: 32853))
        XCTAssertEqual(address.ip, [192, 0, 2, 1])
        XCTAssertFalse(address.isIPv6)
        XCTAssertEqual(address.ipString, "192.0.2.1")
        XCTAssertEqual(address.description, "192.0.2.1:32853")
    }

    func testIPv6RoundTrip() throws {
        let address = try XCTUnwrap(TransportAddress(ip: "2001:db8:1234:5678:11:2233:4455:6677", port: 1))
        XCTAssertEqual(address.ip.count, 16)
        XCTAssertEqual(Array(address.ip.prefix(4)), [0x20, 0x01, 0x0d, 0xb8])
        XCTAssertEqual(address.ipString, "2001:db8:1234:5678:11:2233:4455:6677")
        XCTAssertEqual(TransportAddress(ip: "::1", port: 9)?.description, "[::1]:9")
    }

    func testIntegerInitialisersMatchTheBytes() {
        XCTAssertEqual(TransportAddress(ipv4: 0xC000_0201, port: 7), TransportAddress(ip: "192.0.2.1", port: 7))
        XCTAssertEqual(TransportAddress(ipv6High: 0x2001_0db8_0000_0000, low: 1, port: 7), TransportAddress(ip: "2001:db8::1", port: 7))
        XCTAssertNotEqual(TransportAddress(ip: "::", port: 7), TransportAddress(ip: "0.0.0.0", port: 7), "families differ")
    }

    func testRejectsGarbage() {
        XCTAssertNil(TransportAddress(ip: "", port: 1))
        XCTAssertNil(TransportAddress(ip: "256.1.1.1", port: 1))
        XCTAssertNil(TransportAddress(ip: "example.com", port: 1))
        XCTAssertNil(TransportAddress(ip: "[::1]", port: 1))
        XCTAssertNil(TransportAddress(ipBytes: [1, 2, 3], port: 1))
    }

    func testHashableByValue() {
        let a = TransportAddress(ip: "10.0.0.1", port: 5)
        XCTAssertEqual(a, TransportAddress(ipBytes: [10, 0, 0, 1], port: 5))
        XCTAssertNotEqual(a, TransportAddress(ip: "10.0.0.1", port: 6))
    }
}
