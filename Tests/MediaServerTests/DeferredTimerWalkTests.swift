import XCTest
@testable import MediaServer

/// The sessions' timers wait for a big room's last slice but are never skipped,
/// doubled or reordered.
final class DeferredTimerWalkTests: XCTestCase {
    func testWithoutSlicesEachPeriodIsWalkedAtOnce() {
        var walk = DeferredTimerWalk()
        XCTAssertEqual(walk.due(1, slicesPending: false), [1])
        XCTAssertEqual(walk.due(2, slicesPending: false), [2])
        XCTAssertNil(walk.slicesFinished())
    }

    func testAPeriodWaitsForTheLastSlice() {
        var walk = DeferredTimerWalk()
        XCTAssertEqual(walk.due(7, slicesPending: true), [])
        XCTAssertEqual(walk.waiting, 7)
        XCTAssertEqual(walk.slicesFinished(), 7)
        XCTAssertNil(walk.slicesFinished(), "once only")
        XCTAssertEqual(walk.due(8, slicesPending: false), [8])
    }

    func testAPeriodStillWaitingAtTheNextIsWalkedFirst() {
        var walk = DeferredTimerWalk()
        XCTAssertEqual(walk.due(3, slicesPending: true), [])
        // The slices fell behind a whole period: 3 goes now, 4 waits in turn.
        XCTAssertEqual(walk.due(4, slicesPending: true), [3])
        XCTAssertEqual(walk.due(5, slicesPending: false), [4, 5])
        XCTAssertNil(walk.slicesFinished())
    }

    func testEveryPeriodIsWalkedExactlyOnceInOrder() {
        var walk = DeferredTimerWalk()
        var walked: [Int] = []
        var random = SystemRandomNumberGenerator()
        for period in 0..<500 {
            walked += walk.due(period, slicesPending: Bool.random(using: &random))
            if Bool.random(using: &random), let waiting = walk.slicesFinished() { walked.append(waiting) }
        }
        if let waiting = walk.slicesFinished() { walked.append(waiting) }
        XCTAssertEqual(walked, Array(0..<500))
    }
}
