import Foundation

/// An adaptive jitter buffer for one 20 ms audio stream.
///
/// Packets are keyed by extended (unwrapped) sequence number. The target delay
/// follows the RFC 3550 interarrival jitter estimate between `minimumDelay` and
/// `maximumDelay`. A talk spurt starts playing at the first tick its first packet
/// has waited `startDelay` for: the tick itself quantizes playout to a frame, so
/// waiting a whole target on top would add a frame of latency to every spurt.
/// A packet that arrives just after its frame was concealed is played a frame
/// late instead of dropped, so a stream whose packets land just after the tick
/// gains a frame of delay rather than losing every frame.
/// The buffered span is capped, so a burst or a clock drift cannot grow the
/// delay without limit: the oldest frames are dropped instead.
///
/// Packets live in a ring of slots indexed by sequence number whose byte arrays
/// are reused, so a stream in its steady state allocates nothing.
public struct JitterBuffer {
    public enum Output: Equatable {
        case packet([UInt8])
        /// The frame is missing; the next packet (if buffered) may carry FEC for it.
        case lost(nextPacketForFec: [UInt8]?)
        /// Nothing to play: not started yet, or ran dry.
        case empty
    }

    public let frameDuration: Double
    public let minimumDelay: Double
    public let maximumDelay: Double
    public let clockRate: Double
    public private(set) var stats = JitterBufferStats()
    /// Smoothed interarrival jitter in seconds (RFC 3550 §6.4.1).
    public private(set) var jitter = 0.0
    /// How long the packet the last pop played had waited; nil if it played none.
    public private(set) var lastPlayedWait: Double?

    /// One buffered packet; `sequence == Slot.empty` marks a free slot (its array keeps its capacity).
    private struct Slot {
        static let empty = Int64.min
        var sequence = Slot.empty
        var arrival = 0.0
        var payload: [UInt8] = []
    }

    /// Slot `sequence & slotMask` holds that packet; more slots than the capped span.
    private var slots: [Slot]
    private let slotMask: Int64
    private var storedCount = 0
    /// The shortest time a played packet waited in the buffer during the current
    /// second: if even that one would have been in time a frame later, the buffer
    /// holds a frame more than the path needs.
    private var shortestWait = Double.infinity
    private var playedThisWindow = 0
    /// How much earlier than needed every packet of a window must have arrived
    /// before a frame of delay is given back.
    static let trimMargin = 0.002
    private var highest: Int64?
    /// The next sequence number to play; anything older is late.
    private var next: Int64?
    /// False until the start delay has passed, and again after running dry.
    private var playing = false
    private var firstArrival: Double?
    /// The frame the last pop concealed with nothing after it to recover it from.
    private var concealed: Int64?
    private var lastTransit: (arrival: Double, timestamp: UInt32)?

    /// A packet further behind than this is a restarted stream, not a late one.
    static let resyncDistance: Int64 = 512

    public init(frameDuration: Double = 0.02, minimumDelay: Double = 0.02,
                maximumDelay: Double = 0.2, clockRate: Double = 48_000) {
        self.frameDuration = frameDuration
        self.minimumDelay = minimumDelay
        self.maximumDelay = max(maximumDelay, minimumDelay)
        self.clockRate = clockRate
        let capacity = max(2, Int((self.maximumDelay / frameDuration).rounded(.up)))
        var slotCount = 4
        while slotCount < capacity + 2 { slotCount *= 2 }
        slots = Array(repeating: Slot(), count: slotCount)
        slotMask = Int64(slotCount - 1)
    }

    /// Whether frames are being played out (false before the target delay is buffered and after running dry).
    public var isPlaying: Bool { playing }

    /// The delay the buffer currently aims for.
    public var targetDelay: Double {
        min(maximumDelay, max(minimumDelay, frameDuration + 3 * jitter))
    }

    /// How long a spurt's first packet waits before playout may start: the target
    /// less the frame a tick quantizes anyway, plus the margin the trim keeps.
    public var startDelay: Double { targetDelay - frameDuration + Self.trimMargin }

    var targetFrames: Int64 { max(1, Int64((targetDelay / frameDuration).rounded(.up))) }
    var capacityFrames: Int64 { max(2, Int64((maximumDelay / frameDuration).rounded(.up))) }

    /// Frames between the playout point and the newest packet.
    public var bufferedFrames: Int {
        guard let highest else { return 0 }
        guard let start = playing ? next : oldestStored() else { return 0 }
        return Int(max(0, highest - start + 1))
    }

    public mutating func insert(sequence: UInt16, timestamp: UInt32, payload: [UInt8], now: Double) {
        payload.withUnsafeBytes { insert(sequence: sequence, timestamp: timestamp, payload: $0, now: now) }
    }

    /// Copies the payload into the packet's slot.
    public mutating func insert(sequence: UInt16, timestamp: UInt32, payload: UnsafeRawBufferPointer, now: Double) {
        let seq = extend(sequence)
        if let next, seq < next {
            if next - seq > Self.resyncDistance {
                restart()
                return insert(sequence: sequence, timestamp: timestamp, payload: payload, now: now)
            }
            guard seq == concealed else {
                stats.late += 1
                return
            }
            // Just missed its tick: play it next instead, one frame later than planned.
            stats.replayedLate += 1
            self.next = seq
        }
        concealed = nil
        let index = slotIndex(seq)
        let occupant = slots[index].sequence
        guard occupant != seq else {
            stats.duplicates += 1
            return
        }
        if occupant != Slot.empty {
            // A whole ring apart: one of the two is beyond the capped span and goes.
            stats.overflowDropped += 1
            guard occupant < seq else { return }
            storedCount -= 1
        }
        stats.inserted += 1
        slots[index].sequence = seq
        slots[index].arrival = now
        slots[index].payload.removeAll(keepingCapacity: true)
        slots[index].payload.append(contentsOf: payload)
        storedCount += 1
        if seq > (highest ?? .min) { highest = seq }
        if firstArrival == nil { firstArrival = now }
        updateJitter(arrival: now, timestamp: timestamp)
        enforceCapacity()
    }

    /// Called once per frame duration by the room clock.
    public mutating func pop(now: Double) -> Output {
        lastPlayedWait = nil
        if !playing {
            guard let first = firstArrival, let oldest = oldestStored(),
                  now - first >= startDelay - 1e-9 || Int64(bufferedFrames) > targetFrames else {
                stats.underruns += 1
                return .empty
            }
            playing = true
            next = oldest
        }
        guard let seq = next, storedCount > 0 else {
            // Ran dry: wait for the start delay again before resuming.
            playing = false
            firstArrival = nil
            stats.underruns += 1
            return .empty
        }
        trimExcessDelay()
        let current = next ?? seq
        next = current + 1
        concealed = nil
        if let packet = take(current) {
            stats.played += 1
            lastPlayedWait = now - packet.arrival
            shortestWait = min(shortestWait, now - packet.arrival)
            playedThisWindow += 1
            return .packet(packet.payload)
        }
        stats.lost += 1
        let following = slotIndex(current + 1)
        guard slots[following].sequence == current + 1 else {
            concealed = current
            return .lost(nextPacketForFec: nil)
        }
        return .lost(nextPacketForFec: slots[following].payload)
    }

    private func slotIndex(_ sequence: Int64) -> Int {
        Int(sequence & slotMask)
    }

    /// Empties the slot holding `sequence`, if any; its array stays for reuse.
    private mutating func take(_ sequence: Int64) -> (payload: [UInt8], arrival: Double)? {
        let index = slotIndex(sequence)
        guard slots[index].sequence == sequence else { return nil }
        slots[index].sequence = Slot.empty
        storedCount -= 1
        return (slots[index].payload, slots[index].arrival)
    }

    private func oldestStored() -> Int64? {
        guard storedCount > 0 else { return nil }
        var oldest = Int64.max
        for index in slots.indices where slots[index].sequence != Slot.empty { oldest = min(oldest, slots[index].sequence) }
        return oldest
    }

    /// Unwraps a 16-bit sequence number against the newest one seen.
    private func extend(_ sequence: UInt16) -> Int64 {
        guard let highest else { return Int64(sequence) + 65_536 }
        let delta = Int16(bitPattern: sequence &- UInt16(truncatingIfNeeded: highest))
        return highest + Int64(delta)
    }

    /// RFC 3550's estimate forgets 1/16 per packet. In DTX a stream sends a packet
    /// every 400 ms, so a burst of delay seen once (a server stalled by a join storm)
    /// would size the buffer of that participant's next talk spurt a minute later;
    /// so the estimate also forgets with time, for the part of a gap beyond a frame.
    static let jitterMemorySeconds = 2.0

    private mutating func updateJitter(arrival: Double, timestamp: UInt32) {
        defer { lastTransit = (arrival, timestamp) }
        guard let last = lastTransit else { return }
        let silence = arrival - last.arrival - frameDuration
        if silence > frameDuration { jitter *= exp(-silence / Self.jitterMemorySeconds) }
        let sent = Double(Int32(bitPattern: timestamp &- last.timestamp)) / clockRate
        let difference = abs((arrival - last.arrival) - sent)
        jitter += (difference - jitter) / 16
    }

    /// A packet far ahead of the playout point means the buffer holds more
    /// than `maximumDelay`: skip the oldest frames to land on the target.
    private mutating func enforceCapacity() {
        guard let highest, Int64(bufferedFrames) > capacityFrames else { return }
        let newStart = highest - targetFrames + 1
        for index in slots.indices where slots[index].sequence != Slot.empty && slots[index].sequence < newStart {
            slots[index].sequence = Slot.empty
            storedCount -= 1
            stats.overflowDropped += 1
        }
        if next != nil { next = newStart }
    }

    /// Gives back the frames of delay that every packet played in the last second
    /// could have done without, so a start-up surplus (handshakes stall a joining
    /// server) or a past jitter burst does not leave latency behind for seconds, while
    /// a path whose packets land close to the mixer tick keeps its safety frame.
    private mutating func trimExcessDelay() {
        guard let seq = next, playing, playedThisWindow >= Int(1 / frameDuration) else { return }
        defer { shortestWait = .infinity; playedThisWindow = 0 }
        let spare = Int64(((min(shortestWait, maximumDelay) - Self.trimMargin) / frameDuration).rounded(.down))
        let surplus = min(spare, Int64(bufferedFrames) - 1)
        guard surplus >= 1 else { return }
        for dropped in seq..<(seq + surplus) where take(dropped) != nil { stats.overflowDropped += 1 }
        next = seq + surplus
    }

    private mutating func restart() {
        for index in slots.indices { slots[index].sequence = Slot.empty }
        storedCount = 0
        highest = nil
        next = nil
        playing = false
        firstArrival = nil
        lastTransit = nil
        concealed = nil
    }
}
