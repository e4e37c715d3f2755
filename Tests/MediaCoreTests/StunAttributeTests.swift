import XCTest
@testable import MediaCore

/// Round trip of every typed attribute through a full message, plus rejection of bad values.
final class StunAttributeTests: XCTestCase {
    private let txid = hexBytes("01 02 03 04 05 06 07 08 09 0a 0b 0c")

    private func roundTrip<A: StunAttribute & Equatable>(_ attribute: A, file: StaticString = #filePath, line: UInt = #line) throws {
        var message = StunMessage(type: .bindingSuccess, transactionId: txid)
        message.append(attribute)
        let parsed = try StunMessage(parsing: message.serialize())
        XCTAssertEqual(parsed.attribute(A.self), attribute, file: file, line: line)
    }

    func testRoundTrips() throws {
        try roundTrip(StunUsername("ufrag:other"))
        try roundTrip(StunSoftware("parley"))
        try roundTrip(StunPriority(0x6E00_01FF))
        try roundTrip(StunIceControlling(tieBreaker: 0x0102_0304_0506_0708))
        try roundTrip(StunIceControlled(tieBreaker: .max))
        try roundTrip(StunUseCandidate())
        try roundTrip(StunErrorCode(code: 487, reason: "Role Conflict"))
        try roundTrip(StunErrorCode(code: 401, reason: ""))
        try roundTrip(StunXorMappedAddress(XCTUnwrap(TransportAddress(ip: "203.0.113.9", port: 40000))))
        try roundTrip(StunXorMappedAddress(XCTUnwrap(TransportAddress(ip: "fe80::1:2", port: 9))))
        try roundTrip(StunMessageIntegrity(hmac: Array(0..<20)))
        try roundTrip(StunFingerprint(crc: 0xDEAD_BEEF))
    }

    func testErrorCodeWireLayout() {
        XCTAssertEqual(StunErrorCode(code: 420, reason: "x").encodeValue(transactionId: txid), [0, 0, 4, 20, 0x78])
    }

    func testXorMappedAddressIsActuallyXored() throws {
        let address = try XCTUnwrap(TransportAddress(ip: "192.0.2.1", port: 32853))
        XCTAssertEqual(StunXorMappedAddress(address).encodeValue(transactionId: txid), hexBytes("00 01 a1 47 e1 12 a6 43"))
    }

    func testBadValuesAreRejected() {
        XCTAssertThrowsError(try StunPriority(value: [1, 2, 3], transactionId: txid))
        XCTAssertThrowsError(try StunIceControlling(value: [1], transactionId: txid))
        XCTAssertThrowsError(try StunIceControlled(value: [], transactionId: txid))
        XCTAssertThrowsError(try StunUseCandidate(value: [0], transactionId: txid))
        XCTAssertThrowsError(try StunMessageIntegrity(value: [0, 1], transactionId: txid))
        XCTAssertThrowsError(try StunFingerprint(value: [0, 1, 2, 3, 4], transactionId: txid))
        XCTAssertThrowsError(try StunErrorCode(value: [0, 0, 9, 0], transactionId: txid))
        XCTAssertThrowsError(try StunErrorCode(value: [0, 0, 4], transactionId: txid))
        XCTAssertThrowsError(try StunXorMappedAddress(value: [0, 3, 0, 0, 1, 2, 3, 4], transactionId: txid))
        XCTAssertThrowsError(try StunXorMappedAddress(value: [0, 2, 0, 0, 1, 2, 3, 4], transactionId: txid))
        XCTAssertThrowsError(try StunUsername(value: [0xFF, 0xFE], transactionId: txid))
        XCTAssertThrowsError(try StunUsername(value: [UInt8](repeating: 0x61, count: 514), transactionId: txid))
    }
}
