import MediaCore

/// Datagrams read while a big room's tick is still sending its slices, kept with
/// the time they were read and handled once the last slice is out (or before the
/// next tick). Handling one (route, SRTP, jitter buffer) costs several µs, which
/// every listener still waiting for the tick's packet would wait too: a town hall
/// of 1,500 reads ~50 between its slices. Read times keep jitter measured as if
/// each had been handled at once. Buffers are reused: no allocation once warm.
struct DeferredDatagrams {
    /// More than this waiting are handled at once (as if nothing were deferred).
    static let capacity = 512
    private var buffers: [[UInt8]] = []
    private var sources: [TransportAddress] = []
    private var arrivals: [Double] = []
    private(set) var count = 0

    /// Keeps a copy of `bytes`; false when full (the caller handles it now).
    mutating func append(_ bytes: [UInt8], from source: TransportAddress, at arrival: Double) -> Bool {
        guard count < Self.capacity else { return false }
        if count == buffers.count {
            buffers.append([])
            sources.append(source)
            arrivals.append(arrival)
        } else {
            sources[count] = source
            arrivals[count] = arrival
        }
        buffers[count].removeAll(keepingCapacity: true)
        buffers[count].append(contentsOf: bytes)
        count += 1
        return true
    }

    /// The `index`th datagram kept, oldest first.
    func entry(_ index: Int) -> (bytes: [UInt8], source: TransportAddress, arrival: Double) {
        (buffers[index], sources[index], arrivals[index])
    }

    /// Forgets the datagrams (keeps the buffers).
    mutating func removeAll() {
        count = 0
    }
}
