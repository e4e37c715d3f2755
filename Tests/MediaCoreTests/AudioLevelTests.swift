import XCTest
@testable import MediaCore

final class AudioLevelTests: XCTestCase {
    func testEncoding() {
        XCTAssertEqual(AudioLevel(voiceActivity: true, level: 0).extensionData, [0x80])
        XCTAssertEqual(AudioLevel(voiceActivity: false, level: 127).extensionData, [0x7F])
        XCTAssertEqual(AudioLevel(voiceActivity: true, level: 200).level, 127) // clamped
    }

    func testRoundTrip() {
        for level in UInt8(0)...127 {
            for voice in [false, true] {
                let value = AudioLevel(voiceActivity: voice, level: level)
                XCTAssertEqual(AudioLevel(extensionData: value.extensionData), value)
            }
        }
        XCTAssertNil(AudioLevel(extensionData: []))
        XCTAssertEqual(AudioLevel(extensionData: [0x85, 0, 0]), AudioLevel(voiceActivity: true, level: 5))
    }
}
