import Metrics

/// roomd's own gauges and counters (HTTP request metrics live in `RequestMetricsMiddleware`).
enum RoomMetrics {
    static func setRooms(_ count: Int) {
        Gauge(label: "roomd_rooms").record(count)
    }

    static func setParticipants(_ count: Int) {
        Gauge(label: "roomd_participants").record(count)
    }

    static func countJoin(outcome: String) {
        Counter(label: "roomd_joins_total", dimensions: [("outcome", outcome)]).increment()
    }

    static func countAdmission(outcome: String) {
        Counter(label: "roomd_admissions_total", dimensions: [("outcome", outcome)]).increment()
    }

    static func countMediaServerLost() {
        Counter(label: "roomd_media_servers_lost_total").increment()
    }
}
