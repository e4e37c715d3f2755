import Metrics

/// mediad's Prometheus series.
enum MediaMetrics {
    static let packetsIn = Counter(label: "mediad_packets_in_total")
    static let packetsOut = Counter(label: "mediad_packets_out_total")
    static func dropped(_ reason: String) -> Counter {
        Counter(label: "mediad_packets_dropped_total", dimensions: [("reason", reason)])
    }
    static let decodeErrors = Counter(label: "mediad_decode_errors_total")
    static let encodeErrors = Counter(label: "mediad_encode_errors_total")
    static let sessions = Gauge(label: "mediad_sessions")
    static let rooms = Gauge(label: "mediad_rooms")
    static let tickDuration = Timer(label: "mediad_mixer_tick_seconds")
    static let lateTicks = Counter(label: "mediad_late_ticks_total")
    /// Sampled once a second per stream being played: the jitter buffer's target delay.
    static let playoutDelay = Timer(label: "mediad_jitter_buffer_delay_seconds")
    /// How long each mixed speaker's frame waited in its jitter buffer for its tick.
    static let speakerWait = Timer(label: "mediad_speaker_wait_seconds")
    /// How long after its tick was due a room's last mix packet of that tick left:
    /// the tick's own lateness plus mixing plus the fan-out to every listener.
    static let mixDelay = Timer(label: "mediad_mix_delay_seconds")
    /// Datagrams read while a big room's tick was still sending, handled after its last slice.
    static let deferredDatagrams = Counter(label: "mediad_deferred_datagrams_total")
    static func sessionsEnded(_ code: String) -> Counter {
        Counter(label: "mediad_sessions_ended_total", dimensions: [("code", code)])
    }
}

/// The mixer-latency histograms in steps a few milliseconds wide (the defaults
/// start at 5 ms and jump to 10 and 25).
public enum MediadHistograms {
    public static let buckets: [String: [Duration]] = {
        let steps: [Duration] = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100, 200].map { .milliseconds($0) }
        return ["mediad_speaker_wait_seconds": steps, "mediad_mix_delay_seconds": steps]
    }()
}
