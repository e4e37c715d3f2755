import MallocInterposerSwift

/// Counts heap allocations inside the bracketed calls only (the interposer must be
/// preloaded: `LD_PRELOAD=…/libMallocInterposerSwift.so`).
struct AllocationCounter {
    private(set) var allocations: Int64 = 0
    private(set) var bytes: Int64 = 0
    private(set) var calls = 0

    /// Whether the interposer is loaded: a deliberate allocation must be seen.
    static var isActive: Bool {
        MallocInterposerSwift.initialize()
        MallocInterposerSwift.hook()
        let probe = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
        MallocInterposerSwift.unhook()
        probe.deallocate()
        return MallocInterposerSwift.getStatistics().mallocCount > 0
    }

    mutating func measure<T>(_ body: () throws -> T) rethrows -> T {
        MallocInterposerSwift.initialize()
        MallocInterposerSwift.hook()
        defer {
            MallocInterposerSwift.unhook()
            let statistics = MallocInterposerSwift.getStatistics()
            allocations += Int64(statistics.mallocCount)
            bytes += Int64(statistics.mallocBytesCount)
            calls += 1
        }
        return try body()
    }

    func perCall(_ count: Int? = nil) -> Double {
        Double(allocations) / Double(max(1, count ?? calls))
    }
}
