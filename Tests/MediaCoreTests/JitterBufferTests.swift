import XCTest
@testable import MediaCore

final class JitterBufferTests: XCTestCase {
    private func payload(_ seq: UInt16) -> [UInt8] { [UInt8(seq >> 8), UInt8(seq & 0xFF)] }

    private func insert(_ buffer: inout JitterBuffer, _ seq: UInt16, at now: Double) {
        buffer.insert(sequence: seq, timestamp: UInt32(seq) &* 960, payload: payload(seq), now: now)
    }

    /// Pops until the buffer starts playing, then returns the following outputs.
    private func drain(_ buffer: inout JitterBuffer, from start: Double, count: Int) -> [JitterBuffer.Output] {
        var outputs: [JitterBuffer.Output] = []
        var now = start
        while outputs.count < count && now < start + 5 {
            let output = buffer.pop(now: now)
            if output != .empty || !outputs.isEmpty { outputs.append(output) }
            now += 0.02
        }
        return outputs
    }

    func testNotStartedIsEmpty() {
        var buffer = JitterBuffer()
        XCTAssertEqual(buffer.pop(now: 0), .empty)
        insert(&buffer, 1, at: 0)
        XCTAssertEqual(buffer.pop(now: 0), .empty, "waits for the minimum delay")
        XCTAssertEqual(buffer.pop(now: 0.02), .packet(payload(1)))
    }

    func testInOrderPlaysInOrder() {
        var buffer = JitterBuffer()
        for seq in UInt16(0)..<10 { insert(&buffer, seq, at: Double(seq) * 0.02) }
        let outputs = drain(&buffer, from: 0.2, count: 10)
        XCTAssertEqual(outputs, (UInt16(0)..<10).map { .packet(payload($0)) })
        XCTAssertEqual(buffer.stats.played, 10)
    }

    func testReorderedPacketsAreSorted() {
        var buffer = JitterBuffer()
        for seq: UInt16 in [1, 3, 2, 5, 4] { insert(&buffer, seq, at: 0) }
        XCTAssertEqual(drain(&buffer, from: 0.02, count: 5), [1, 2, 3, 4, 5].map { .packet(payload($0)) })
    }

    func testGapIsReportedAsLossWithNextPacketForFec() {
        var buffer = JitterBuffer()
        for seq: UInt16 in [1, 2, 4] { insert(&buffer, seq, at: 0) }
        XCTAssertEqual(drain(&buffer, from: 0.02, count: 3),
                       [.packet(payload(1)), .packet(payload(2)), .lost(nextPacketForFec: payload(4))])
        XCTAssertEqual(buffer.pop(now: 1), .packet(payload(4)))
        XCTAssertEqual(buffer.stats.lost, 1)
    }

    func testLatePacketIsDropped() {
        var buffer = JitterBuffer()
        for seq: UInt16 in [1, 3] { insert(&buffer, seq, at: 0) }
        _ = drain(&buffer, from: 0.02, count: 2)  // 1 played, 2 declared lost
        insert(&buffer, 2, at: 0.1)
        XCTAssertEqual(buffer.stats.late, 1)
        XCTAssertEqual(buffer.pop(now: 0.12), .packet(payload(3)))
    }

    func testPacketJustAfterItsConcealmentPlaysAFrameLate() {
        var buffer = JitterBuffer()
        for seq: UInt16 in [1, 4] { insert(&buffer, seq, at: 0) }
        XCTAssertEqual(drain(&buffer, from: 0.02, count: 2), [.packet(payload(1)), .lost(nextPacketForFec: nil)])
        insert(&buffer, 2, at: 0.05)
        insert(&buffer, 3, at: 0.05)
        XCTAssertEqual(buffer.stats.replayedLate, 1)
        XCTAssertEqual(buffer.stats.late, 0)
        XCTAssertEqual([0.06, 0.08, 0.1].map { buffer.pop(now: $0) }, [2, 3, 4].map { .packet(payload($0)) })
        insert(&buffer, 1, at: 0.11)
        XCTAssertEqual(buffer.stats.late, 1, "an older packet is still late")
    }

    /// Playout quantizes to the tick, so a spurt does not wait a whole frame more
    /// than the path needs: it starts at the first tick its first packet has waited
    /// the margin for.
    func testSpurtStartsAtTheFirstTickAfterTheStartMargin() {
        var buffer = JitterBuffer()
        XCTAssertEqual(buffer.startDelay, JitterBuffer.trimMargin, accuracy: 1e-9)
        insert(&buffer, 1, at: 0)
        XCTAssertEqual(buffer.pop(now: 0.001), .empty, "arrived too close to this tick")
        XCTAssertNil(buffer.lastPlayedWait)
        XCTAssertEqual(buffer.pop(now: 0.003), .packet(payload(1)))
        XCTAssertEqual(buffer.lastPlayedWait ?? -1, 0.003, accuracy: 1e-9, "what the mixer lines its tick up with")
        XCTAssertEqual(buffer.pop(now: 0.023), .empty, "ran dry")
        XCTAssertNil(buffer.lastPlayedWait)
        insert(&buffer, 2, at: 0.025)
        XCTAssertLessThan(buffer.startDelay, 0.005)
        XCTAssertEqual(buffer.pop(now: 0.026), .empty, "1 ms before the tick is too close")
        XCTAssertEqual(buffer.pop(now: 0.043), .packet(payload(2)), "the next tick plays it")
    }

    func testDuplicateIsDroppedAndCounted() {
        var buffer = JitterBuffer()
        insert(&buffer, 1, at: 0)
        insert(&buffer, 1, at: 0.001)
        insert(&buffer, 2, at: 0.02)
        XCTAssertEqual(buffer.stats.duplicates, 1)
        XCTAssertEqual(drain(&buffer, from: 0.02, count: 3),
                       [.packet(payload(1)), .packet(payload(2)), .empty])
    }

    func testSequenceWrapKeepsOrder() {
        var buffer = JitterBuffer()
        for seq: UInt16 in [65_534, 0, 65_535, 1] { insert(&buffer, seq, at: 0) }
        XCTAssertEqual(drain(&buffer, from: 0.02, count: 4),
                       [65_534, 65_535, 0, 1].map { .packet(payload($0)) })
    }

    func testDelayIsBoundedWhenPacketsPileUp() {
        var buffer = JitterBuffer(maximumDelay: 0.2)
        for seq in UInt16(0)..<100 { insert(&buffer, seq, at: 0) }
        XCTAssertLessThanOrEqual(buffer.bufferedFrames, 10)
        XCTAssertGreaterThan(buffer.stats.overflowDropped, 80)
        if case .packet(let first) = buffer.pop(now: 0.2) {
            XCTAssertGreaterThanOrEqual(first.last ?? 0, 90, "plays the newest audio, not the oldest")
        } else {
            XCTFail("expected a packet")
        }
    }

    func testReusedSlotsNeverLeakAnEarlierPayload() {
        // Slots are reused every few frames: a short payload after a long one must come out whole and alone.
        var buffer = JitterBuffer()
        var now = 0.0
        var played: [[UInt8]] = []
        for seq in UInt16(0)..<200 {
            let bytes = [UInt8](repeating: UInt8(seq & 0xFF), count: seq % 2 == 0 ? 120 : 3)
            buffer.insert(sequence: seq, timestamp: UInt32(seq) * 960, payload: bytes, now: now)
            if case .packet(let payload) = buffer.pop(now: now) { played.append(payload) }
            now += 0.02
        }
        XCTAssertGreaterThan(played.count, 190)
        for payload in played {
            XCTAssertEqual(payload.count, payload[0] % 2 == 0 ? 120 : 3)
            XCTAssertTrue(payload.allSatisfy { $0 == payload[0] })
        }
    }

    func testPacketARingAheadDropsTheOldOnesAndPlaysOn() {
        var buffer = JitterBuffer(maximumDelay: 0.2)
        for seq in UInt16(0)..<4 { insert(&buffer, seq, at: 0) }
        insert(&buffer, 16, at: 0.01) // shares a slot with 0 in a 16-slot ring
        XCTAssertLessThanOrEqual(buffer.bufferedFrames, 10)
        XCTAssertEqual(buffer.stats.overflowDropped, 4)
        XCTAssertEqual(drain(&buffer, from: 0.02, count: 1), [.packet(payload(16))])
        insert(&buffer, 0, at: 0.05) // now far behind the playout point
        XCTAssertEqual(buffer.stats.late, 1)
    }

    func testTargetDelayFollowsJitterWithinBounds() {
        var steady = JitterBuffer()
        for seq in UInt16(0)..<50 { insert(&steady, seq, at: Double(seq) * 0.02) }
        XCTAssertEqual(steady.targetDelay, 0.02, accuracy: 0.005)

        var jittery = JitterBuffer()
        for seq in UInt16(0)..<50 { insert(&jittery, seq, at: Double(seq) * 0.02 + (seq % 2 == 0 ? 0 : 0.06)) }
        XCTAssertGreaterThan(jittery.targetDelay, 0.08)
        XCTAssertLessThanOrEqual(jittery.targetDelay, 0.2)
    }

    /// A stream in DTX sends a packet every 400 ms: a delay burst seen at join time
    /// must not size its next talk spurt's buffer seconds later, as RFC 3550's
    /// per-packet smoothing alone would (16 packets are 6.4 s of DTX).
    func testJitterFromAPastBurstFadesDuringDtx() {
        var buffer = JitterBuffer()
        for seq in UInt16(0)..<50 { insert(&buffer, seq, at: Double(seq) * 0.02 + (seq % 2 == 0 ? 0 : 0.06)) }
        let burst = buffer.jitter
        XCTAssertGreaterThan(burst, 0.02)
        // Five seconds of DTX: a silence frame every 400 ms, each exactly on time.
        var seq: UInt16 = 50, now = 1.0
        for _ in 0..<13 {
            insert(&buffer, seq, at: now)
            seq += 20
            now += 0.4
        }
        // RFC 3550 alone keeps (15/16)^13 ≈ 43 % of it; with time it is under 10 %.
        XCTAssertLessThan(buffer.jitter, 0.1 * burst)
        XCTAssertLessThan(buffer.startDelay, 0.01, "the next spurt starts within a few ms")
    }

    func testSteadySpeechJitterIsPlainRfc3550() {
        var buffer = JitterBuffer()
        // Alternate 0 and 10 ms late: |D| is 10 ms per packet, so J tends to 10 ms.
        for seq in UInt16(0)..<200 { insert(&buffer, seq, at: Double(seq) * 0.02 + (seq % 2 == 0 ? 0 : 0.01)) }
        XCTAssertEqual(buffer.jitter, 0.01, accuracy: 0.0005)
    }

    /// A clean stream that started with surplus settles at one frame buffered
    /// (playout at the first tick after arrival); only the surplus is dropped.
    func testSurplusOnACleanStreamIsTrimmedToOneFrame() {
        var buffer = JitterBuffer()
        insert(&buffer, 0, at: 0)
        insert(&buffer, 1, at: 0.02)
        var played = 0, bufferedAtPop = 0
        for tick in 0..<200 {
            let now = 0.021 + Double(tick) * 0.02
            insert(&buffer, UInt16(tick + 2), at: now - 0.015)
            bufferedAtPop = buffer.bufferedFrames
            if case .packet = buffer.pop(now: now) { played += 1 }
        }
        XCTAssertEqual(bufferedAtPop, 1)
        XCTAssertEqual(buffer.stats.overflowDropped, 2, "the two frames of surplus trimmed, one per second")
        XCTAssertEqual(buffer.stats.lost + buffer.stats.late + buffer.stats.underruns, 0)
        XCTAssertEqual(played, 200, "202 sent, 2 trimmed")
    }

    /// A server stalled for 60 ms reads four frames at once and then one every 20 ms:
    /// the three frames of surplus go together after a second of playout, not one
    /// frame a second.
    func testAStartUpSurplusIsGivenBackAtOnce() {
        var buffer = JitterBuffer()
        for seq in UInt16(0)..<4 { insert(&buffer, seq, at: 0.06) }
        var sent = 4
        for tick in 0..<150 {
            let now = 0.063 + Double(tick) * 0.02
            while Double(sent) * 0.02 <= now { insert(&buffer, UInt16(sent), at: Double(sent) * 0.02); sent += 1 }
            _ = buffer.pop(now: now)
        }
        XCTAssertEqual(buffer.stats.overflowDropped, 3)
        XCTAssertEqual(buffer.bufferedFrames, 0, "each frame plays 3 ms after it arrived")
        XCTAssertEqual(buffer.stats.lost + buffer.stats.late + buffer.stats.replayedLate, 0)
    }

    /// Arrivals wobbling ±4 ms around the tick keep enough buffered to never run dry.
    func testJitterAroundTheTickKeepsASafetyFrame() {
        var buffer = JitterBuffer()
        var generator = SeededGenerator(seed: 7)
        var losses = 0
        for tick in 0..<500 {
            let now = Double(tick) * 0.02
            let arrival = now - 0.001 + Double.random(in: -0.004...0.004, using: &generator)
            insert(&buffer, UInt16(tick), at: arrival)
            if tick > 10, case .lost = buffer.pop(now: now) { losses += 1 } else if tick <= 10 { _ = buffer.pop(now: now) }
        }
        XCTAssertLessThan(losses, 5, "lost \(losses) of 490, target \(buffer.targetDelay)")
    }

    func testUnderrunThenStreamRestartIsNotCountedAsLate() {
        var buffer = JitterBuffer()
        insert(&buffer, 10, at: 0)
        XCTAssertEqual(drain(&buffer, from: 0.02, count: 2), [.packet(payload(10)), .empty])
        // The sender restarted far behind: treated as a new stream, not as late.
        insert(&buffer, 5_000 &+ 40_000, at: 1)
        insert(&buffer, 5_000, at: 1)
        XCTAssertEqual(buffer.stats.late, 0)
    }
}
