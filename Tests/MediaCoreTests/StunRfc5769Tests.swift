import XCTest
@testable import MediaCore

/// RFC 5769 test vectors, typed in from the RFC text.
final class StunRfc5769Tests: XCTestCase {
    static let password = Array("VOkJxbRl1RmTxUk/WvJxBt".utf8)
    static let transactionId = hexBytes("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae")

    // §2.1 Sample Request (SOFTWARE/USERNAME padding is 0x20 on purpose).
    static let request = hexBytes("""
        00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
        00 24 00 04 6e 00 01 ff
        80 29 00 08 93 2f f9 b1 51 26 3b 36
        00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
        00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
        80 28 00 04 e5 7a 3b cf
        """)

    // §2.2 Sample IPv4 Response.
    static let ipv4Response = hexBytes("""
        01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 08 00 01 a1 47 e1 12 a6 43
        00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
        80 28 00 04 c0 7d 4c 96
        """)

    // §2.3 Sample IPv6 Response.
    static let ipv6Response = hexBytes("""
        01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
        00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
        80 28 00 04 c8 fb 0b 4c
        """)

    func testSampleRequest() throws {
        let bytes = Self.request
        XCTAssertEqual(bytes.count, 108)
        let message = try StunMessage(parsing: bytes)
        XCTAssertEqual(message.type, .bindingRequest)
        XCTAssertEqual(message.transactionId, Self.transactionId)
        XCTAssertEqual(message.attribute(StunSoftware.self)?.value, "STUN test client")
        XCTAssertEqual(message.attribute(StunPriority.self)?.value, 0x6E00_01FF)
        XCTAssertEqual(message.attribute(StunIceControlled.self)?.tieBreaker, 0x932F_F9B1_5126_3B36)
        XCTAssertEqual(message.attribute(StunUsername.self)?.value, "evtj:h6vY")
        XCTAssertTrue(StunMessageIntegrity.verify(bytes, key: Self.password))
        XCTAssertFalse(StunMessageIntegrity.verify(bytes, key: Array("wrong".utf8)))
        XCTAssertTrue(StunFingerprint.verify(bytes))
    }

    func testSampleIPv4Response() throws {
        let message = try StunMessage(parsing: Self.ipv4Response)
        XCTAssertEqual(message.type, .bindingSuccess)
        XCTAssertEqual(message.attribute(StunSoftware.self)?.value, "test vector")
        let mapped = try XCTUnwrap(message.attribute(StunXorMappedAddress.self)?.address)
        XCTAssertEqual(mapped, TransportAddress(ip: "192.0.2.1", port: 32853))
        XCTAssertTrue(StunMessageIntegrity.verify(Self.ipv4Response, key: Self.password))
        XCTAssertTrue(StunFingerprint.verify(Self.ipv4Response))
    }

    func testSampleIPv6Response() throws {
        let message = try StunMessage(parsing: Self.ipv6Response)
        let mapped = try XCTUnwrap(message.attribute(StunXorMappedAddress.self)?.address)
        XCTAssertEqual(mapped, TransportAddress(ip: "2001:db8:1234:5678:11:2233:4455:6677", port: 32853))
        XCTAssertTrue(StunMessageIntegrity.verify(Self.ipv6Response, key: Self.password))
        XCTAssertTrue(StunFingerprint.verify(Self.ipv6Response))
    }

    /// Rebuilding the responses from typed attributes yields the RFC bytes exactly
    /// (our padding is zero, and "test vector" pads with one 0x20 in the RFC, so
    /// compare everything but that byte by re-checking integrity instead).
    func testRebuiltResponsesMatch() throws {
        for vector in [Self.ipv4Response, Self.ipv6Response] {
            let parsed = try StunMessage(parsing: vector)
            var rebuilt = StunMessage(type: .bindingSuccess, transactionId: Self.transactionId)
            rebuilt.append(StunSoftware("test vector"))
            rebuilt.append(try XCTUnwrap(parsed.attribute(StunXorMappedAddress.self)))
            let bytes = rebuilt.serialize(integrityKey: Self.password, addFingerprint: true)
            XCTAssertEqual(bytes.count, vector.count)
            // Only the SOFTWARE padding byte differs (0x20 in the RFC, 0x00 here).
            let differing = zip(bytes, vector).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
            XCTAssertTrue(differing.allSatisfy { $0 == 35 || $0 >= bytes.count - 28 }, "\(differing)")
            XCTAssertEqual(Array(bytes[36..<(bytes.count - 32)]), Array(vector[36..<(vector.count - 32)]))
            XCTAssertTrue(StunMessageIntegrity.verify(bytes, key: Self.password))
            XCTAssertTrue(StunFingerprint.verify(bytes))
        }
    }

    func testTamperingBreaksChecks() {
        var bytes = Self.request
        bytes[30] ^= 0x01 // inside PRIORITY
        XCTAssertFalse(StunMessageIntegrity.verify(bytes, key: Self.password))
        XCTAssertFalse(StunFingerprint.verify(bytes))
    }
}
