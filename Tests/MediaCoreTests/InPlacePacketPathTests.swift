import XCTest
@testable import MediaCore

/// The allocation-free receive and send paths must read and write exactly what the
/// array-based RtpPacket / SrtpContext APIs do (which the other tests cover).
final class InPlacePacketPathTests: XCTestCase {
    private func view(_ bytes: [UInt8]) throws -> (RtpView, AudioLevel?, [UInt8]) {
        try bytes.withUnsafeBytes { raw in
            let view = try RtpView(parsing: raw)
            return (view, view.audioLevel(extensionId: 1, in: raw), Array(raw[view.payloadRange]))
        }
    }

    func testViewReadsWhatThePacketParserReads() throws {
        let ext = RtpHeaderExtension(elements: [RtpExtensionElement(id: 3, data: [7, 7]),
                                                AudioLevel(voiceActivity: true, level: 42).element(id: 1)])
        let packet = RtpPacket(marker: true, payloadType: 111, sequenceNumber: 65_000, timestamp: 123_456, ssrc: 99,
                               csrcs: [5, 6], headerExtension: ext, payload: Array(0..<33), paddingLength: 3)
        let (parsed, level, payload) = try view(packet.serialize())
        XCTAssertTrue(parsed.marker)
        XCTAssertEqual(parsed.payloadType, 111)
        XCTAssertEqual(parsed.sequenceNumber, 65_000)
        XCTAssertEqual(parsed.timestamp, 123_456)
        XCTAssertEqual(parsed.ssrc, 99)
        XCTAssertEqual(parsed.csrcCount, 2)
        XCTAssertEqual(parsed.paddingLength, 3)
        XCTAssertEqual(level, AudioLevel(voiceActivity: true, level: 42))
        XCTAssertEqual(payload, Array(0..<33))
    }

    func testViewRejectsWhatThePacketParserRejects() {
        let base: [UInt8] = [0x80, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]
        let bad: [[UInt8]] = [
            Array(base.prefix(11)),                              // short header
            [0x40] + base.dropFirst(),                           // version 1
            [0x82] + base.dropFirst(),                           // two CSRCs missing
            [0x90] + base.dropFirst() + [0xBE, 0xDE, 0, 2, 0x10], // extension longer than the packet
            [0xA0] + base.dropFirst() + [1, 2, 9],               // padding longer than the payload
            [0xA0] + base.dropFirst() + [1, 2, 0],               // zero padding length
        ]
        for bytes in bad {
            XCTAssertThrowsError(try view(bytes), "\(bytes)")
            XCTAssertThrowsError(try RtpPacket(parsing: bytes), "\(bytes)")
        }
    }

    func testMalformedExtensionBlockYieldsNoLevel() throws {
        // One-byte element claiming 4 bytes of data in a one-word block.
        let bytes: [UInt8] = [0x90, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0, 1, 0x13, 30, 0, 0, 0xAA]
        XCTAssertNil(try view(bytes).1)
        XCTAssertNil(try RtpPacket(parsing: bytes).audioLevel(extensionId: 1))
    }

    func testSenderWritesTheSamePacketTheSerializerBuilds() throws {
        var writer = AudioSender(ssrc: 77, payloadType: 111, audioLevelExtensionId: 1)
        var reference = writer
        let opus: [UInt8] = Array(repeating: 0x5A, count: 61)
        for level in [AudioLevel(voiceActivity: true, level: 20), nil] {
            var buffer = [UInt8](repeating: 0, count: 200)
            let length = buffer.withUnsafeMutableBytes { writer.write(opus: opus, level: level, into: $0) }
            let expected = RtpPacket(marker: reference.packetCount == 0, payloadType: 111, sequenceNumber: reference.sequence,
                                     timestamp: reference.timestamp, ssrc: 77,
                                     headerExtension: level.map { RtpHeaderExtension(elements: [$0.element(id: 1)]) },
                                     payload: opus).serialize()
            _ = reference.packet(opus: opus, level: level)
            XCTAssertEqual(Array(buffer.prefix(length)), expected)
        }
        var tooSmall = [UInt8](repeating: 0, count: 40)
        XCTAssertEqual(tooSmall.withUnsafeMutableBytes { writer.write(opus: opus, into: $0) }, -1)
        XCTAssertEqual(writer.packetCount, 2, "a packet that does not fit is not counted")
    }

    func testSkippedFramesAdvanceTheTimestampButNotTheSequence() {
        var sender = AudioSender(ssrc: 77, payloadType: 111, audioLevelExtensionId: nil)
        let (sequence, timestamp) = (sender.sequence, sender.timestamp)
        sender.skipFrame()
        sender.skipFrame(count: 6)
        XCTAssertEqual(sender.timestamp, timestamp &+ 7 * 960)
        XCTAssertEqual(sender.sequence, sequence)
        sender.skipFrame(count: 0)
        XCTAssertEqual(sender.timestamp, timestamp &+ 7 * 960)
    }

    func testInPlaceSrtpMatchesTheArrayApi() throws {
        let key = [UInt8](repeating: 3, count: 16), salt = [UInt8](repeating: 4, count: 12)
        let outbound = try SrtpContext(profile: .aeadAes128Gcm, key: key, salt: salt, direction: .outbound)
        let inbound = try SrtpContext(profile: .aeadAes128Gcm, key: key, salt: salt, direction: .inbound)
        let plain = RtpPacket(payloadType: 111, sequenceNumber: 9, timestamp: 960, ssrc: 5, payload: Array(0..<80)).serialize()
        let sealed = try outbound.protectRtp(writing: { SrtpContext.copy(plain, into: $0) }) { Array($0) }
        XCTAssertNotEqual(sealed, plain)
        XCTAssertEqual(try inbound.unprotectRtp(sealed) { Array($0) }, plain)
        XCTAssertThrowsError(try outbound.protectRtp(writing: { _ in 5 }) { $0.count }, "shorter than an RTP header")
        XCTAssertThrowsError(try outbound.protectRtp(writing: { _ in -1 }) { $0.count }, "did not fit")
    }
}
