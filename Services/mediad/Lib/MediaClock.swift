import Foundation

/// Monotonic seconds for the sans-IO core (which never reads a clock itself).
enum MediaClock {
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
