import XCTest
@testable import MediaCore

final class SpeakerSelectorTests: XCTestCase {
    func testPicksTheLoudestUpToTheMaximum() {
        var selector = SpeakerSelector(maximum: 3)
        let chosen = selector.update(loudness: ["a": 20, "b": 30, "c": 40, "d": 50, "e": 127])
        XCTAssertEqual(chosen, ["a", "b", "c"])
    }

    func testSilentStreamsAreNeverSelected() {
        var selector = SpeakerSelector(maximum: 3)
        XCTAssertEqual(selector.update(loudness: ["a": 127, "b": 110]), [])
    }

    func testIncumbentKeepsItsPlaceAgainstASimilarNewcomer() {
        var selector = SpeakerSelector(maximum: 2, displaceMargin: 10)
        selector.update(loudness: ["a": 30, "b": 40])
        XCTAssertEqual(selector.update(loudness: ["a": 30, "b": 40, "c": 35]), ["a", "b"], "5 dB louder is not enough")
        XCTAssertEqual(selector.update(loudness: ["a": 30, "b": 40, "c": 25]), ["a", "c"], "15 dB louder displaces the quietest")
    }

    func testSpeakerWhoFallsSilentFreesTheSlot() {
        var selector = SpeakerSelector(maximum: 1)
        selector.update(loudness: ["a": 30, "b": 35])
        XCTAssertEqual(selector.selected, ["a"])
        XCTAssertEqual(selector.update(loudness: ["a": 127, "b": 35]), ["b"])
    }
}
