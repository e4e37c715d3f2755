import XCTest
@testable import MediaCore

final class MixMinusTests: XCTestCase {
    private func constant(_ value: Int16) -> [Int16] { [Int16](repeating: value, count: 960) }

    func testOwnContributionIsRemovedExactlyBelowTheKnee() {
        let alice = (0..<960).map { Int16($0 % 100) * 30 }
        let bob = (0..<960).map { Int16(-($0 % 50)) * 40 }
        let carol = constant(1_234)
        let result = MixMinus.mix(["alice": alice, "bob": bob, "carol": carol])
        for index in 0..<960 {
            XCTAssertEqual(result.frame(for: "alice")[index], bob[index] + carol[index])
            XCTAssertEqual(result.frame(for: "bob")[index], alice[index] + carol[index])
            XCTAssertEqual(result.frame(for: "carol")[index], alice[index] + bob[index])
            XCTAssertEqual(result.everyone[index], alice[index] + bob[index] + carol[index])
        }
    }

    func testListenersWhoDidNotContributeShareOneMix() {
        let result = MixMinus.mix(["alice": constant(100), "bob": constant(200)])
        XCTAssertEqual(result.source(for: "dave"), .everyone)
        XCTAssertEqual(result.source(for: "erin"), result.source(for: "dave"))
        XCTAssertEqual(result.frame(for: "dave"), constant(300))
        XCTAssertEqual(result.source(for: "alice"), .allBut("alice"))
    }

    func testMutedParticipantIsNotHeard() {
        let result = MixMinus.mix(["alice": constant(100), "bob": constant(200)], muted: ["bob"])
        XCTAssertEqual(result.frame(for: "dave"), constant(100))
        XCTAssertEqual(result.frame(for: "alice"), constant(0))
        XCTAssertEqual(result.source(for: "bob"), .everyone, "a muted speaker hears everyone")
        XCTAssertEqual(result.frame(for: "bob"), constant(100))
    }

    func testFullScaleSumsNeverWrapOrExceedInt16() {
        let frames = Dictionary(uniqueKeysWithValues: (0..<8).map { ("p\($0)", constant(Int16.max)) })
        let result = MixMinus.mix(frames)
        XCTAssertTrue(result.everyone.allSatisfy { $0 > 0 && $0 <= Int16.max })
        let negative = MixMinus.mix(["a": constant(Int16.min), "b": constant(Int16.min), "c": constant(-30_000)])
        XCTAssertTrue(negative.everyone.allSatisfy { $0 < 0 && $0 >= -Int16.max })
        XCTAssertTrue(negative.frame(for: "a").allSatisfy { $0 < 0 })
    }

    func testShortAndLongFramesAreTolerated() {
        let result = MixMinus.mix(["a": [1_000, 1_000], "b": [Int16](repeating: 5, count: 2_000)])
        XCTAssertEqual(result.everyone.count, 960)
        XCTAssertEqual(result.everyone[0], 1_005)
        XCTAssertEqual(result.everyone[2], 5)
    }
}
