/// Where a mixer tick's datagrams go. A server hands its send queue, so each
/// packet is built and sealed where it will be sent from, with no copy and no
/// array of its own (a town hall sends one per listener every 20 ms).
public protocol DatagramSink: AnyObject {
    /// Queues one datagram for `address`: `fill` writes it into the buffer given
    /// (at least `capacity` bytes) and returns its length; 0 or less queues nothing.
    func queue(to address: TransportAddress, capacity: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Int)
}

/// Collects datagrams in one reused buffer (tests, benchmarks, sans-IO callers).
public final class DatagramList: DatagramSink {
    private var storage: [UInt8] = []
    private var entries: [(start: Int, length: Int, to: TransportAddress)] = []

    public init() {}

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// Forgets what was queued, keeping the storage.
    public func removeAll() {
        storage.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
    }

    public func queue(to address: TransportAddress, capacity: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Int) {
        guard capacity > 0 else { return }
        let start = storage.count
        storage.append(contentsOf: repeatElement(0, count: capacity))
        let length = storage.withUnsafeMutableBytes { fill(UnsafeMutableRawBufferPointer(rebasing: $0[start..<start + capacity])) }
        guard length > 0, length <= capacity else {
            storage.removeLast(capacity)
            return
        }
        storage.removeLast(capacity - length)
        entries.append((start, length, address))
    }

    /// The queued datagrams as transmits (copies).
    public var transmits: [Transmit] {
        entries.map { Transmit(bytes: Array(storage[$0.start..<$0.start + $0.length]), to: $0.to) }
    }
}
