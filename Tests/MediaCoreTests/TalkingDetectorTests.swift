import XCTest
@testable import MediaCore

final class TalkingDetectorTests: XCTestCase {
    /// Feeds 20 ms frames and returns the time of each state change.
    private func run(_ detector: inout TalkingDetector, from start: Double, seconds: Double,
                     level: UInt8?, pcm: [Int16]? = nil) -> [(Double, Bool)] {
        var changes: [(Double, Bool)] = []
        var now = start
        while now < start + seconds - 1e-9 {
            if let change = detector.update(level: level, pcm: pcm, now: now) { changes.append((now, change)) }
            now += 0.02
        }
        return changes
    }

    func testSpeechTurnsOnWithinOneSecondAndSilenceOffWithinTwo() {
        var detector = TalkingDetector()
        XCTAssertTrue(run(&detector, from: 0, seconds: 1, level: 127).isEmpty)
        let on = run(&detector, from: 1, seconds: 2, level: 30)
        XCTAssertEqual(on.count, 1)
        XCTAssertEqual(on.first?.1, true)
        XCTAssertLessThan(on.first?.0 ?? 99, 2.0)
        XCTAssertGreaterThanOrEqual(on.first?.0 ?? 0, 1.3, "a click does not count as talking")
        let off = run(&detector, from: 3, seconds: 3, level: 127)
        XCTAssertEqual(off.count, 1)
        XCTAssertEqual(off.first?.1, false)
        XCTAssertLessThan(off.first?.0 ?? 99, 5.0)
    }

    func testShortPausesDoNotFlicker() {
        var detector = TalkingDetector()
        var changes: [Bool] = []
        for frame in 0..<200 {  // 4 s of speech with a 200 ms pause every second
            let pause = frame % 50 >= 40
            if let change = detector.update(level: pause ? 127 : 25, pcm: nil, now: Double(frame) * 0.02) {
                changes.append(change)
            }
        }
        XCTAssertEqual(changes, [true])
    }

    func testBriefNoiseDoesNotTurnOn() {
        var detector = TalkingDetector()
        XCTAssertTrue(run(&detector, from: 0, seconds: 0.2, level: 20).isEmpty)
        XCTAssertTrue(run(&detector, from: 0.2, seconds: 2, level: 90).isEmpty)
    }

    func testPcmEnergyIsUsedWithoutLevels() {
        let loud = (0..<960).map { Int16(10_000 * sin(Double($0) * 0.1)) }
        XCTAssertLessThan(TalkingDetector.level(of: loud), 15)
        XCTAssertEqual(TalkingDetector.level(of: [Int16](repeating: 0, count: 960)), 127)
        var detector = TalkingDetector()
        XCTAssertEqual(run(&detector, from: 0, seconds: 1, level: nil, pcm: loud).map(\.1), [true])
        XCTAssertEqual(run(&detector, from: 1, seconds: 2, level: nil, pcm: nil).map(\.1), [false])
    }
}
