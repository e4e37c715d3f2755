import Foundation
import XCTest
@testable import RoomServer

final class JoinRateLimiterTests: XCTestCase {
    func testBurstThenRefill() async throws {
        let limiter = JoinRateLimiter(limits: .init(joinsPerSecond: 10, joinBurst: 3))
        let start = Date(timeIntervalSince1970: 1000)
        for _ in 0..<3 { try await limiter.admit(address: "a", roomId: "r", now: start) }
        do {
            try await limiter.admit(address: "a", roomId: "r", now: start)
            XCTFail("the fourth join in the same instant is over the burst")
        } catch let error as RoomError {
            XCTAssertEqual(error.code, "rate_limited")
            XCTAssertEqual(error.status, .tooManyRequests)
        }
        try await limiter.admit(address: "b", roomId: "r", now: start)
        try await limiter.admit(address: "a", roomId: "r", now: start.addingTimeInterval(0.15))
    }

    func testWrongPinsLockTheRoomForThatClientOnly() async throws {
        let limiter = JoinRateLimiter(limits: .init(joinsPerSecond: 0, wrongPinsAllowed: 3, pinWindow: 60))
        let start = Date(timeIntervalSince1970: 1000)
        for _ in 0..<3 { await limiter.recordWrongPin(address: "a", roomId: "r", now: start) }
        await XCTAssertThrowsErrorAsync { try await limiter.admit(address: "a", roomId: "r", now: start) }
        try await limiter.admit(address: "a", roomId: "other", now: start)
        try await limiter.admit(address: "b", roomId: "r", now: start)
        try await limiter.admit(address: "a", roomId: "r", now: start.addingTimeInterval(61))
    }
}

func XCTAssertThrowsErrorAsync(_ body: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async {
    do {
        try await body()
        XCTFail("expected an error", file: file, line: line)
    } catch {}
}
