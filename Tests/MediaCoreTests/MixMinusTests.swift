import XCTest
@testable import MediaCore

final class MixMinusTests: XCTestCase {
    private func constant(_ value: Int16) -> [Int16] { [Int16](repeating: value, count: 960) }

    private func mixed(_ frames: [[Int16]], minus own: [Int16]?) -> [Int16] {
        var total: [Int32] = []
        var out: [Int16] = []
        MixMinus.sum(frames, into: &total)
        MixMinus.limit(total, minus: own, into: &out)
        return out
    }

    func testOwnContributionIsRemovedExactlyBelowTheKnee() {
        let alice = (0..<960).map { Int16($0 % 100) * 30 }
        let bob = (0..<960).map { Int16(-($0 % 50)) * 40 }
        let carol = constant(1_234)
        let room = [alice, bob, carol]
        let forAlice = mixed(room, minus: alice), forBob = mixed(room, minus: bob)
        let forCarol = mixed(room, minus: carol), forListeners = mixed(room, minus: nil)
        for index in 0..<960 {
            XCTAssertEqual(forAlice[index], bob[index] + carol[index])
            XCTAssertEqual(forBob[index], alice[index] + carol[index])
            XCTAssertEqual(forCarol[index], alice[index] + bob[index])
            XCTAssertEqual(forListeners[index], alice[index] + bob[index] + carol[index])
        }
    }

    func testReusedBuffersHoldOnlyTheLatestTick() {
        var total: [Int32] = []
        var out: [Int16] = []
        MixMinus.sum([constant(100), constant(200)], into: &total)
        MixMinus.limit(total, minus: nil, into: &out)
        MixMinus.sum([constant(7)], into: &total)
        MixMinus.limit(total, minus: nil, into: &out)
        XCTAssertEqual(out, constant(7))
        MixMinus.limit(total, minus: constant(7), into: &out)
        XCTAssertEqual(out, constant(0), "the only voice minus itself is silence")
    }

    func testFullScaleSumsNeverWrapOrExceedInt16() {
        let loud = mixed(Array(repeating: constant(Int16.max), count: 8), minus: nil)
        XCTAssertTrue(loud.allSatisfy { $0 > 0 && $0 <= Int16.max })
        let negative = [constant(Int16.min), constant(Int16.min), constant(-30_000)]
        XCTAssertTrue(mixed(negative, minus: nil).allSatisfy { $0 < 0 && $0 >= -Int16.max })
        XCTAssertTrue(mixed(negative, minus: negative[0]).allSatisfy { $0 < 0 })
    }

    func testShortAndLongFramesAreTolerated() {
        let short: [Int16] = [1_000, 1_000]
        let everyone = mixed([short, [Int16](repeating: 5, count: 2_000)], minus: nil)
        XCTAssertEqual(everyone.count, 960)
        XCTAssertEqual(everyone[0], 1_005)
        XCTAssertEqual(everyone[2], 5)
        let forShort = mixed([short, [Int16](repeating: 5, count: 2_000)], minus: short)
        XCTAssertEqual(forShort, constant(5), "a short own frame is removed where it has samples")
    }
}
