import Foundation

/// One latency marker as a measuring listener timed it (`--marker-log`): which room,
/// listener and talker, when in the talker's turn it was sent, and its latency.
struct MarkerRecord {
    /// Seconds since the send clock started.
    let sentAt: Double
    let room: Int
    let listener: Int
    let talker: Int
    /// Seconds since the room's talkers last switched.
    let sinceSwitch: Double
    let latency: Double

    static let csvHeader = "sent_s,room,listener,talker,talker_send_phase,since_switch_s,latency_ms"

    /// `talker_send_phase` is the 5 ms phase of the generator's clock the talker sends in.
    var csvLine: String {
        String(format: "%.3f,%d,%d,%d,%d,%.3f,%.2f", sentAt, room, listener, talker, talker % Runner.sendPhases, sinceSwitch, latency * 1000)
    }

    static func write(_ records: [MarkerRecord], to path: String) throws {
        let text = ([csvHeader] + records.map(\.csvLine)).joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
