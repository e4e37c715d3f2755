import XCTest
@testable import MediaCore

/// Most participants of a room are never mixed: their streams are consumed
/// without decoding, and they should not hold an 18 KB Opus decoder for it.
final class AudioReceiverTests: XCTestCase {
    func testDecoderExistsOnlyWhileFramesAreDecoded() throws {
        let receiver = try AudioReceiver(payloadType: 111, audioLevelExtensionId: 1)
        let encoder = try OpusAudioEncoder()
        let tone = (0..<960).map { Int16(6000 * sin(2 * Double.pi * 440 * Double($0) / 48000)) }
        var sequence: UInt16 = 100
        var now = 0.0
        func frame(decode: Bool) throws -> [Int16]? {
            let packet = RtpPacket(marker: false, payloadType: 111, sequenceNumber: sequence, timestamp: UInt32(sequence) * 960,
                                   ssrc: 7, headerExtension: nil, payload: try encoder.encode(pcm: tone))
            sequence &+= 1
            now += 0.02
            XCTAssertTrue(receiver.receive(packet, now: now - 0.005))
            return receiver.nextFrame(now: now, decode: decode).pcm
        }
        for _ in 0..<20 { _ = try frame(decode: false) }
        XCTAssertFalse(receiver.holdsDecoder, "never decoded, no decoder")
        var decoded = 0
        for _ in 0..<10 { if let pcm = try frame(decode: true), pcm.count == 960 { decoded += 1 } }
        XCTAssertTrue(receiver.holdsDecoder)
        XCTAssertGreaterThanOrEqual(decoded, 9, "a speaker's frames decode from the first one on")
        for _ in 0...AudioReceiver.decoderIdleFrames { _ = try frame(decode: false) }
        XCTAssertFalse(receiver.holdsDecoder, "dropped after ten seconds unmixed")
        XCTAssertNotNil(try frame(decode: true), "and created again when mixed")
    }
}
