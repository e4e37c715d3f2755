import XCTest
@testable import MediaCore

final class RtpPacketTests: XCTestCase {
    func testMinimalPacketWireFormat() throws {
        let packet = RtpPacket(marker: true, payloadType: 111, sequenceNumber: 0x1234, timestamp: 0xDEADBEEF,
                               ssrc: 0x0102_0304, payload: [0xAA, 0xBB])
        let bytes = packet.serialize()
        XCTAssertEqual(bytes, [0x80, 0x80 | 111, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3, 4, 0xAA, 0xBB])
        XCTAssertEqual(try RtpPacket(parsing: bytes), packet)
        XCTAssertEqual(PacketDemux.classify(bytes), .rtp)
    }

    func testRoundTripWithCsrcsPaddingAndOneByteExtension() throws {
        let ext = RtpHeaderExtension(elements: [AudioLevel(voiceActivity: true, level: 30).element(id: 1),
                                                RtpExtensionElement(id: 4, data: Array("0".utf8))])
        XCTAssertTrue(ext.isOneByte)
        let packet = RtpPacket(payloadType: 96, sequenceNumber: 65535, timestamp: 960, ssrc: 7, csrcs: [10, 20],
                               headerExtension: ext, payload: Array(0..<50), paddingLength: 4)
        let bytes = packet.serialize()
        XCTAssertEqual(bytes[0] & 0x30, 0x30) // P and X bits
        XCTAssertEqual(bytes[0] & 0x0F, 2)
        XCTAssertEqual(bytes.last, 4)
        let parsed = try RtpPacket(parsing: bytes)
        XCTAssertEqual(parsed, packet)
        XCTAssertEqual(parsed.payload, Array(0..<50))
        XCTAssertEqual(parsed.audioLevel(extensionId: 1), AudioLevel(voiceActivity: true, level: 30))
        XCTAssertEqual(parsed.headerExtension?.element(id: 4), Array("0".utf8))
        XCTAssertNil(parsed.audioLevel(extensionId: 2))
    }

    func testTwoByteExtensionForLargeIdsOrEmptyData() throws {
        let ext = RtpHeaderExtension(elements: [RtpExtensionElement(id: 200, data: [1, 2, 3]),
                                                RtpExtensionElement(id: 3, data: [])])
        XCTAssertTrue(ext.isTwoByte)
        XCTAssertEqual(ext.profile, 0x1000)
        let packet = RtpPacket(payloadType: 0, sequenceNumber: 1, timestamp: 2, ssrc: 3, headerExtension: ext, payload: [9])
        let parsed = try RtpPacket(parsing: packet.serialize())
        XCTAssertEqual(parsed.headerExtension?.elements,
                       [RtpExtensionElement(id: 200, data: [1, 2, 3]), RtpExtensionElement(id: 3, data: [])])
    }

    func testOneByteExtensionSkipsPaddingAndStopsAtId15() {
        let ext = RtpHeaderExtension(profile: 0xBEDE, payload: [0x10, 0x85, 0x00, 0x00, 0xF0, 0x22, 0, 0])
        XCTAssertEqual(ext.elements, [RtpExtensionElement(id: 1, data: [0x85])])
        let overrun = RtpHeaderExtension(profile: 0xBEDE, payload: [0x13, 0x85, 0x00, 0x00])
        XCTAssertNil(overrun.elements)
        XCTAssertNil(RtpHeaderExtension(profile: 0x1234, payload: [1, 2, 3, 4]).elements)
    }

    func testRejectsBadPackets() {
        XCTAssertThrowsError(try RtpPacket(parsing: [0x80, 0, 0, 1])) { XCTAssertEqual($0 as? MediaError, .truncatedPacket) }
        XCTAssertThrowsError(try RtpPacket(parsing: [0x40] + [UInt8](repeating: 0, count: 11))) {
            XCTAssertEqual($0 as? MediaError, .unsupportedVersion(1))
        }
        // CSRC count says 3, none present.
        XCTAssertThrowsError(try RtpPacket(parsing: [0x83] + [UInt8](repeating: 0, count: 11)))
        // Padding larger than the packet body.
        XCTAssertThrowsError(try RtpPacket(parsing: [0xA0] + [UInt8](repeating: 0, count: 11) + [1, 9]))
        // Zero padding count is invalid.
        XCTAssertThrowsError(try RtpPacket(parsing: [0xA0] + [UInt8](repeating: 0, count: 11) + [0]))
        // Extension length past the end.
        XCTAssertThrowsError(try RtpPacket(parsing: [0x90] + [UInt8](repeating: 0, count: 11) + [0xBE, 0xDE, 0, 5]))
    }
}
