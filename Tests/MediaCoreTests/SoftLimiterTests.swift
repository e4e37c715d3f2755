import XCTest
@testable import MediaCore

final class SoftLimiterTests: XCTestCase {
    func testLinearBelowKnee() {
        for sample: Int32 in [0, 1, -1, 12_345, -20_000, SoftLimiter.knee, -SoftLimiter.knee] {
            XCTAssertEqual(Int32(SoftLimiter.limit(sample)), sample)
        }
    }

    func testMonotonicSmoothAndBoundedAboveKnee() {
        var previous = SoftLimiter.limit(SoftLimiter.knee)
        for sample in stride(from: SoftLimiter.knee + 1, through: 2_000_000, by: 97) {
            let limited = SoftLimiter.limit(sample)
            XCTAssertGreaterThanOrEqual(limited, previous)
            XCTAssertLessThanOrEqual(Int32(limited) - Int32(previous), 97, "no jump: slope at most 1")
            XCTAssertEqual(SoftLimiter.limit(-sample), -limited, "symmetric")
            previous = limited
        }
        XCTAssertGreaterThan(previous, 32_000, "loud input still reaches near full scale")
        XCTAssertEqual(SoftLimiter.limit(Int32.max), Int16.max)
        XCTAssertEqual(SoftLimiter.limit(Int32.min), -Int16.max)
    }
}
