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
    static func sessionsEnded(_ code: String) -> Counter {
        Counter(label: "mediad_sessions_ended_total", dimensions: [("code", code)])
    }
}
