/// One SSRC's SRTP packet index: the rollover counter guessed as in RFC 3711
/// §3.3.1 and, for a receiver, a 128-packet replay window (§3.3.2). A sender
/// only ever moves forward, so no (SSRC, index) pair, i.e. no GCM nonce, is
/// used twice under one key. SRTCP, whose packets carry their index, uses the
/// same replay window (`init(ssrc:firstIndex:)`, `isFresh`, `accept`).
struct RtpPacketIndex {
    static let windowSize: UInt64 = 128
    let ssrc: UInt32
    /// The highest index accepted so far: rollover counter << 16 | sequence.
    private(set) var highest: UInt64
    /// Bit i set: index `highest - i` was accepted.
    private var seen: (low: UInt64, high: UInt64) = (1, 0)

    /// Starts at the first packet, with a rollover counter of 0 (as libsrtp does).
    init(ssrc: UInt32, firstSequence: UInt16) {
        self.ssrc = ssrc
        highest = UInt64(firstSequence)
    }

    /// Starts a window at an explicit index (an SRTCP index).
    init(ssrc: UInt32, firstIndex: UInt64) {
        self.ssrc = ssrc
        highest = firstIndex
    }

    /// The index a packet with this sequence number most likely has.
    func estimate(_ sequence: UInt16) -> UInt64 {
        let roc = highest >> 16
        let last = UInt64(highest & 0xFFFF), s = UInt64(sequence)
        var guess = roc
        if last < 0x8000 {
            if s > last + 0x8000, roc > 0 { guess = roc - 1 }
        } else if s + 0x8000 < last {
            guess = roc + 1
        }
        return guess << 16 | s
    }

    /// Whether a receiver may still accept `index` (not too old, not seen before).
    func isFresh(_ index: UInt64) -> Bool {
        if index > highest { return true }
        let age = highest - index
        guard age < Self.windowSize else { return false }
        return !isSeen(age: age)
    }

    /// Records an accepted index (call only after its tag checked out).
    mutating func accept(_ index: UInt64) {
        if index > highest {
            shiftWindow(by: index - highest)
            highest = index
            seen.low |= 1
        } else {
            let age = highest - index
            if age < 64 { seen.low |= 1 << age } else if age < Self.windowSize { seen.high |= 1 << (age - 64) }
        }
    }

    private func isSeen(age: UInt64) -> Bool {
        age < 64 ? seen.low & (1 << age) != 0 : seen.high & (1 << (age - 64)) != 0
    }

    private mutating func shiftWindow(by distance: UInt64) {
        if distance >= Self.windowSize {
            seen = (0, 0)
        } else if distance >= 64 {
            seen = (0, seen.low << (distance - 64))
        } else {
            seen = (seen.low << distance, seen.high << distance | seen.low >> (64 - distance))
        }
    }
}
