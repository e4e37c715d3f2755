/// Per-source reception statistics (RFC 3550 A.1 sequence tracking with wrap,
/// A.3 expected/lost, A.8 interarrival jitter), turned into RTCP report blocks.
public struct ReceiveStatistics: Sendable {
    /// A.1: a jump of more than this is a restart candidate rather than loss.
    static let maxDropout: UInt16 = 3000
    static let maxMisorder: UInt16 = 100

    public let ssrc: UInt32
    /// RTP timestamp rate (48000 for Opus).
    public let clockRate: Double

    public private(set) var packetsReceived: UInt32 = 0
    /// Interarrival jitter in timestamp units (A.8), as a running estimate.
    public private(set) var jitter: Double = 0

    private var started = false
    private var baseSequence: UInt32 = 0
    private var maxSequence: UInt16 = 0
    private var cycles: UInt32 = 0
    /// A.1 `bad_seq`: the sequence that, if seen next, confirms a source restart.
    private var badSequence: UInt32 = 0x1_0000 + 1
    private var expectedPrior: UInt32 = 0
    private var receivedPrior: UInt32 = 0
    private var lastArrival: Double?
    private var lastTimestamp: UInt32 = 0
    private var lastSenderReport: (compactNtp: UInt32, arrival: Double)?

    public init(ssrc: UInt32, clockRate: Double = 48_000) {
        self.ssrc = ssrc
        self.clockRate = clockRate
    }

    public var extendedHighestSequence: UInt32 { cycles &+ UInt32(maxSequence) }

    public var expectedPackets: UInt32 {
        started ? extendedHighestSequence &- baseSequence &+ 1 : 0
    }

    /// Expected minus received; negative when duplicates arrived.
    public var cumulativeLost: Int64 { Int64(expectedPackets) - Int64(packetsReceived) }

    /// Feed every received packet; `arrival` is in seconds on the caller's clock.
    public mutating func record(sequenceNumber: UInt16, rtpTimestamp: UInt32, arrival: Double) {
        guard started else {
            restart(at: sequenceNumber)
            count(rtpTimestamp: rtpTimestamp, arrival: arrival)
            return
        }
        let delta = sequenceNumber &- maxSequence
        if delta < Self.maxDropout {
            if sequenceNumber < maxSequence { cycles &+= 0x1_0000 } // wrapped
            maxSequence = sequenceNumber
        } else if delta <= UInt16.max - Self.maxMisorder {
            // A big jump: believe it only if the next packet continues from here.
            guard UInt32(sequenceNumber) == badSequence else {
                badSequence = (UInt32(sequenceNumber) + 1) & 0xFFFF
                return
            }
            restart(at: sequenceNumber)
        }
        // else: duplicate or reordered packet; counted, sequence state unchanged.
        count(rtpTimestamp: rtpTimestamp, arrival: arrival)
    }

    /// Remember the last SR from this source so the report can carry LSR/DLSR.
    public mutating func recordSenderReport(compactNtp: UInt32, arrival: Double) {
        lastSenderReport = (compactNtp, arrival)
    }

    /// A report block covering the interval since the previous call (A.3).
    public mutating func makeReportBlock(now: Double) -> ReportBlock {
        let expected = expectedPackets
        let expectedInterval = Int64(expected) - Int64(expectedPrior)
        let receivedInterval = Int64(packetsReceived) - Int64(receivedPrior)
        expectedPrior = expected
        receivedPrior = packetsReceived
        let lostInterval = expectedInterval - receivedInterval
        let fraction = (expectedInterval <= 0 || lostInterval <= 0) ? 0 : min(255, (lostInterval << 8) / expectedInterval)
        var delay: UInt32 = 0
        if let sr = lastSenderReport {
            delay = Self.clampedUInt32((now - sr.arrival) * 65_536)
        }
        return ReportBlock(ssrc: ssrc, fractionLost: UInt8(fraction),
                           cumulativeLost: Int32(clamping: cumulativeLost),
                           extendedHighestSequence: extendedHighestSequence,
                           jitter: Self.clampedUInt32(jitter),
                           lastSenderReport: lastSenderReport?.compactNtp ?? 0,
                           delaySinceLastSenderReport: delay)
    }

    /// Double to UInt32 without trapping on NaN, infinity or out-of-range values.
    static func clampedUInt32(_ value: Double) -> UInt32 {
        guard value.isFinite else { return 0 }
        return UInt32(min(max(value.rounded(), 0), Double(UInt32.max)))
    }

    private mutating func restart(at sequenceNumber: UInt16) {
        started = true
        baseSequence = UInt32(sequenceNumber)
        maxSequence = sequenceNumber
        cycles = 0
        badSequence = 0x1_0000 + 1
        packetsReceived = 0
        expectedPrior = 0
        receivedPrior = 0
    }

    /// A.8: J += (|D| - J) / 16, D being the change in transit time between packets.
    private mutating func count(rtpTimestamp: UInt32, arrival: Double) {
        packetsReceived &+= 1
        if let previous = lastArrival {
            let arrivalDelta = (arrival - previous) * clockRate
            let timestampDelta = Double(Int32(bitPattern: rtpTimestamp &- lastTimestamp))
            let d = abs(arrivalDelta - timestampDelta)
            if d.isFinite { jitter += (d - jitter) / 16 }
        }
        lastArrival = arrival
        lastTimestamp = rtpTimestamp
    }
}
