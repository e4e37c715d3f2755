import Foundation
import XCTest
@testable import MediaCore

final class OpusCodecTests: XCTestCase {
    private func tone(frame: Int, hertz: Double = 440, amplitude: Double = 8_000) -> [Int16] {
        (0..<960).map { index in
            let t = Double(frame * 960 + index) / 48_000
            return Int16(amplitude * sin(2 * .pi * hertz * t))
        }
    }

    private func rms(_ pcm: [Int16]) -> Double {
        (pcm.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, pcm.count))).squareRoot()
    }

    func testToneSurvivesEncodeAndDecode() throws {
        let encoder = try OpusAudioEncoder()
        let decoder = try OpusAudioDecoder()
        var last: [Int16] = []
        for frame in 0..<10 {
            let packet = try encoder.encode(pcm: tone(frame: frame))
            XCTAssertFalse(packet.isEmpty)
            XCTAssertLessThan(packet.count, 200, "32 kb/s is about 80 bytes per 20 ms")
            last = try decoder.decode(packet)
            XCTAssertEqual(last.count, 960)
        }
        XCTAssertEqual(rms(last), 8_000 / 2.squareRoot(), accuracy: 2_000)
    }

    func testStereoEncoderTakesInterleavedFrames() throws {
        let encoder = try OpusAudioEncoder(options: OpusEncoderOptions(channels: 2))
        let decoder = try OpusAudioDecoder(channels: 2)
        let packet = try encoder.encode(pcm: [Int16](repeating: 100, count: 1_920))
        XCTAssertEqual(try decoder.decode(packet).count, 1_920)
    }

    func testWrongFrameSizeThrows() throws {
        let encoder = try OpusAudioEncoder()
        XCTAssertThrowsError(try encoder.encode(pcm: [Int16](repeating: 0, count: 1_000)))
        XCTAssertThrowsError(try encoder.encode(pcm: []))
    }

    func testMalformedPacketsThrow() throws {
        let decoder = try OpusAudioDecoder()
        XCTAssertThrowsError(try decoder.decode([]))
        XCTAssertThrowsError(try decoder.decode([UInt8](repeating: 0xFF, count: 1_600)))
        // Code 3 packet announcing 63 frames of 60 ms: longer than 120 ms.
        XCTAssertThrowsError(try decoder.decode([0xFB, 0x3F]))
    }

    func testLossConcealmentAndFecFillOneFrame() throws {
        let encoder = try OpusAudioEncoder(options: OpusEncoderOptions(expectedLossPercent: 30))
        let decoder = try OpusAudioDecoder()
        var packets: [[UInt8]] = []
        for frame in 0..<20 { packets.append(try encoder.encode(pcm: tone(frame: frame))) }
        for packet in packets[0..<10] { _ = try decoder.decode(packet) }
        let concealed = decoder.decodeLoss()
        XCTAssertEqual(concealed.count, 960)
        XCTAssertGreaterThan(rms(concealed), 100, "concealment continues the tone, not silence")
        // Frame 11 is lost; packet 12 carries its FEC.
        _ = try decoder.decode(packets[10])
        let recovered = decoder.decodeFec(packets[12])
        XCTAssertEqual(recovered.count, 960)
        XCTAssertGreaterThan(rms(recovered), 1_000)
        XCTAssertEqual(try decoder.decode(packets[12]).count, 960)
        XCTAssertEqual(decoder.decodeFec([]).count, 960, "no packet falls back to concealment")
    }
}

/// The mixer codes a clean path as CELT (2.5× cheaper) and switches to
/// SILK/hybrid, the mode with in-band FEC, while receivers report loss.
extension OpusCodecTests {
    /// A voiced sound: 150 Hz and its harmonics, falling off with frequency.
    private func voiced(frame: Int) -> [Int16] {
        (0..<960).map { index in
            let t = Double(frame * 960 + index) / 48_000
            let sample = (1...12).reduce(0.0) { sum, harmonic in
                sum + sin(2 * .pi * 150 * Double(harmonic) * t) / Double(harmonic)
            }
            return Int16(3_000 * sample)
        }
    }

    private enum Mode: Equatable { case silkOrHybrid, celt }

    /// RFC 6716 §3.1: TOC configurations 0–15 are SILK-only or hybrid, 16–31 CELT-only.
    private func mode(of packet: [UInt8]) -> Mode? {
        packet.first.map { $0 >> 3 < 16 ? .silkOrHybrid : .celt }
    }

    private func modes(_ encoder: OpusAudioEncoder, frames: Range<Int>) throws -> [Mode?] {
        try frames.map { mode(of: try encoder.encode(pcm: voiced(frame: $0))) }
    }

    func testLossFreeSpeechIsCodedAsCeltUnlessTheEncoderIsForVoice() throws {
        let adaptive = try OpusAudioEncoder()
        XCTAssertEqual(adaptive.options.modePolicy, .lossAdaptive, "the mixer's default")
        XCTAssertFalse(adaptive.codesAsVoice)
        XCTAssertEqual(Set(try modes(adaptive, frames: 0..<25)), [.celt])
        let voice = try OpusAudioEncoder(options: OpusEncoderOptions(modePolicy: .voice))
        XCTAssertTrue(voice.codesAsVoice)
        XCTAssertEqual(Set(try modes(voice, frames: 5..<25)), [.silkOrHybrid])
    }

    func testReportedLossSwitchesToSilkAndACleanPathBackToCelt() throws {
        let encoder = try OpusAudioEncoder()
        _ = try modes(encoder, frames: 0..<10)
        encoder.setExpectedLoss(5)
        XCTAssertTrue(encoder.codesAsVoice)
        // libopus crossfades a mode switch over a frame or two.
        XCTAssertEqual(Set(try modes(encoder, frames: 10..<40).suffix(25)), [.silkOrHybrid])
        encoder.setExpectedLoss(0)
        XCTAssertFalse(encoder.codesAsVoice)
        XCTAssertEqual(Set(try modes(encoder, frames: 40..<70).suffix(25)), [.celt])
    }

    func testWithoutFecLossDoesNotLeaveCelt() throws {
        let encoder = try OpusAudioEncoder(options: OpusEncoderOptions(fec: false))
        encoder.setExpectedLoss(20)
        XCTAssertFalse(encoder.codesAsVoice, "SILK only pays for itself with FEC to carry")
        XCTAssertEqual(Set(try modes(encoder, frames: 0..<25)), [.celt])
    }

    func testACeltEncoderHasTheLowDelayLookAheadAndSilkTheVoipOne() throws {
        let adaptive = try OpusAudioEncoder()
        XCTAssertTrue(adaptive.isLowDelay)
        XCTAssertEqual(adaptive.lookaheadSamples, 120, "2.5 ms at 48 kHz")
        let voice = try OpusAudioEncoder(options: OpusEncoderOptions(modePolicy: .voice))
        XCTAssertEqual(voice.lookaheadSamples, 312, "2.5 ms plus the 4 ms libopus keeps to switch modes")
        let lossyFromTheStart = try OpusAudioEncoder(options: OpusEncoderOptions(expectedLossPercent: 10))
        XCTAssertFalse(lossyFromTheStart.isLowDelay)
        XCTAssertEqual(Set(try modes(lossyFromTheStart, frames: 5..<25)), [.silkOrHybrid])
    }

    func testLossRestartsTheEncoderAsVoipAndOnlyALongCleanSpellMakesItLowDelayAgain() throws {
        let encoder = try OpusAudioEncoder()
        _ = try modes(encoder, frames: 0..<10)
        encoder.setExpectedLoss(5)
        XCTAssertFalse(encoder.isLowDelay)
        XCTAssertEqual(encoder.lookaheadSamples, 312)
        XCTAssertEqual(Set(try modes(encoder, frames: 10..<30)), [.silkOrHybrid], "SILK from the first frame after the restart")
        encoder.setExpectedLoss(0)
        let dwell = OpusAudioEncoder.lowDelayDwellFrames
        XCTAssertEqual(Set(try modes(encoder, frames: 30..<(30 + dwell)).suffix(dwell - 5)), [.celt])
        XCTAssertFalse(encoder.isLowDelay, "still VoIP: loss may come back")
        encoder.setExpectedLoss(2)
        encoder.setExpectedLoss(0)
        _ = try modes(encoder, frames: 0..<(dwell - 1))
        XCTAssertFalse(encoder.isLowDelay, "new loss starts the dwell over")
        XCTAssertEqual(Set(try modes(encoder, frames: 0..<10)), [.celt])
        XCTAssertTrue(encoder.isLowDelay)
        XCTAssertEqual(encoder.lookaheadSamples, 120)
        let decoder = try OpusAudioDecoder()
        for frame in 0..<5 {
            let pcm = try decoder.decode(try encoder.encode(pcm: voiced(frame: frame)))
            XCTAssertEqual(pcm.count, 960)
        }
        XCTAssertGreaterThan(rms(try decoder.decode(try encoder.encode(pcm: voiced(frame: 5)))), 1_000)
    }
}

