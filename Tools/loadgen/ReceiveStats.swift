/// What one participant saw on its receive stream during the measurement window.
struct ReceiveStats {
    var packets = 0
    var lost = 0
    var reordered = 0
    var intervals = 0
    var late = 0
    var maxGap = 0.0
    var lastSequence: UInt16?
    var lastArrival: Double?

    /// Records one packet; `histogram` collects inter-arrival gaps in whole milliseconds.
    mutating func record(sequence: UInt16, arrival: Double, histogram: inout [Int]) {
        packets += 1
        if let last = lastSequence {
            let delta = Int(Int16(bitPattern: sequence &- last))
            if delta > 1 { lost += delta - 1 } else if delta <= 0 { reordered += 1 }
            if delta > 0 { lastSequence = sequence }
        } else {
            lastSequence = sequence
        }
        if let previous = lastArrival {
            let gap = arrival - previous
            intervals += 1
            if gap > 0.040 { late += 1 }
            maxGap = max(maxGap, gap)
            histogram[min(histogram.count - 1, max(0, Int(gap * 1000)))] += 1
        }
        lastArrival = arrival
    }

    /// Starts a new window, keeping the sequence and arrival continuity.
    mutating func resetCounts() {
        packets = 0; lost = 0; reordered = 0; intervals = 0; late = 0; maxGap = 0
    }
}

/// Percentile of a sorted array (nearest rank).
func percentile(_ sorted: [Double], _ p: Double) -> Double? {
    guard !sorted.isEmpty else { return nil }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[max(0, min(sorted.count - 1, rank))]
}

/// Percentile of a millisecond histogram.
func percentile(histogram: [Int], _ p: Double) -> Int? {
    let total = histogram.reduce(0, +)
    guard total > 0 else { return nil }
    let target = Int((p / 100 * Double(total)).rounded(.up))
    var running = 0
    for (ms, count) in histogram.enumerated() {
        running += count
        if running >= target { return ms }
    }
    return histogram.count - 1
}
