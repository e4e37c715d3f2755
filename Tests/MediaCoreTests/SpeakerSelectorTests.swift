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

/// When the talkers change, the old ones' smoothed loudness fades over a few ticks;
/// a new talker must not wait for that, or its first words go unheard.
extension SpeakerSelectorTests {
    func testAnIncumbentSilentThisTickYieldsToASpeakingNewcomer() {
        var selector = SpeakerSelector(maximum: 2)
        selector.update(loudness: ["a": 30, "b": 30])
        XCTAssertEqual(selector.update(loudness: ["a": 69, "b": 30, "c": 88]), ["a", "b"],
                       "a fades but might only be pausing: c is not 10 dB louder")
        XCTAssertEqual(selector.update(loudness: ["a": 69, "b": 30, "c": 88], silentNow: ["a"]), ["b", "c"],
                       "a sent silence this tick: its slot goes to c at once")
    }

    func testASilentNewcomerTakesNoSlotAndASpeakingIncumbentKeepsIts() {
        var selector = SpeakerSelector(maximum: 1)
        selector.update(loudness: ["a": 30])
        XCTAssertEqual(selector.update(loudness: ["a": 40, "c": 88], silentNow: ["c"]), ["a"])
        XCTAssertEqual(selector.update(loudness: ["a": 40, "c": 88], silentNow: []), ["a"], "both speak: the margin decides")
    }
}
