import XCTest
@testable import MediaCore

final class StunMessageTests: XCTestCase {
    func testMessageTypeEncoding() {
        XCTAssertEqual(StunMessageType.bindingRequest.rawValue, 0x0001)
        XCTAssertEqual(StunMessageType.bindingSuccess.rawValue, 0x0101)
        XCTAssertEqual(StunMessageType.bindingError.rawValue, 0x0111)
        XCTAssertEqual(StunMessageType.bindingIndication.rawValue, 0x0011)
        for raw: UInt16 in [0x0001, 0x0101, 0x0111, 0x0011, 0x0003, 0x0113, 0x3EEF] {
            XCTAssertEqual(StunMessageType(rawValue: raw).rawValue, raw)
        }
        XCTAssertEqual(StunMessageType(rawValue: 0x0113).method, 0x003)
        XCTAssertEqual(StunMessageType(rawValue: 0x0113).messageClass, .errorResponse)
    }

    func testRoundTripPreservesUnknownAttributesAndPadding() throws {
        let txid = StunMessage.randomTransactionId()
        XCTAssertEqual(txid.count, 12)
        var message = StunMessage(type: .bindingRequest, transactionId: txid)
        message.append(StunUsername("abcd:efg"))
        message.attributes.append(StunRawAttribute(type: 0xC057, value: [1, 2, 3, 4, 5]))
        message.append(StunUseCandidate())
        let bytes = message.serialize()
        XCTAssertEqual(bytes.count % 4, 0)
        XCTAssertEqual(bytes.count, 20 + (4 + 8) + (4 + 8) + 4)
        let parsed = try StunMessage(parsing: bytes)
        XCTAssertEqual(parsed, message)
        XCTAssertEqual(parsed.attributes[1], StunRawAttribute(type: 0xC057, value: [1, 2, 3, 4, 5]))
        XCTAssertTrue(parsed.contains(StunAttributeType.useCandidate))
    }

    func testIntegrityAndFingerprintAreLastAndVerify() throws {
        var message = StunMessage(type: .bindingRequest, transactionId: StunMessage.randomTransactionId())
        message.append(StunPriority(12345))
        let key = Array("a-password-of-22-chars".utf8)
        let bytes = message.serialize(integrityKey: key, addFingerprint: true)
        let parsed = try StunMessage(parsing: bytes)
        XCTAssertEqual(parsed.attributes.map(\.type),
                       [StunAttributeType.priority, StunAttributeType.messageIntegrity, StunAttributeType.fingerprint])
        XCTAssertTrue(StunMessageIntegrity.verify(bytes, key: key))
        // (key + [0] would pass: HMAC zero-pads keys, so change a byte instead.)
        XCTAssertFalse(StunMessageIntegrity.verify(bytes, key: Array("A-password-of-22-chars".utf8)))
        XCTAssertTrue(StunFingerprint.verify(bytes))
        // Integrity without fingerprint: length must still be right.
        let noFingerprint = message.serialize(integrityKey: key, addFingerprint: false)
        XCTAssertTrue(StunMessageIntegrity.verify(noFingerprint, key: key))
        XCTAssertFalse(StunFingerprint.verify(noFingerprint))
        // Re-serializing a parsed message drops and recomputes the old integrity.
        XCTAssertEqual(parsed.serialize(integrityKey: key, addFingerprint: true), bytes)
    }

    func testRejectsMalformedHeaders() {
        let good = StunMessage(type: .bindingRequest, transactionId: StunMessage.randomTransactionId()).serialize()
        XCTAssertNoThrow(try StunMessage(parsing: good))
        XCTAssertThrowsError(try StunMessage(parsing: Array(good.prefix(19))))
        var badCookie = good; badCookie[4] = 0
        XCTAssertThrowsError(try StunMessage(parsing: badCookie))
        var topBits = good; topBits[0] = 0xC0
        XCTAssertThrowsError(try StunMessage(parsing: topBits))
        var badLength = good; badLength[3] = 4
        XCTAssertThrowsError(try StunMessage(parsing: badLength))
        // An attribute whose length runs past the end.
        var overrun = good
        overrun[3] = 4
        overrun += [0x00, 0x06, 0x00, 0x10]
        XCTAssertThrowsError(try StunMessage(parsing: overrun)) { error in
            XCTAssertEqual((error as? MediaError)?.code, "malformed_packet")
        }
    }
}
