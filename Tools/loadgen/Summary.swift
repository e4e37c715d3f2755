import Foundation

struct JoinFigures {
    var connected = 0
    var failed = 0
    var failures: [String] = []
    var joinP50 = 0.0
    var joinP99 = 0.0
    var elapsed = 0.0
    var joinsPerSecond = 0.0
}

struct WindowFigures {
    var listeners = 0
    var sent = 0
    var received = 0
    var lost = 0
    var reordered = 0
    var intervals = 0
    var late = 0
    var maxGap = 0.0
    var srtpFailures = 0
    var gapP50 = 0, gapP99 = 0, gapP999 = 0
    var latencyCount = 0
    var latencyP50: Double?
    var latencyP99: Double?
    /// Mixer latencies counted in 2 ms buckets (index 0 is 0–2 ms): where the tail comes from.
    var latencyBuckets: [Int] = []
    var lagP99 = 0
    var lagMax = 0
    /// Mixer latency timed at the receive thread's read instead of the kernel's arrival.
    var latencyAtReadP50: Double?
    var latencyAtReadP99: Double?
    /// From the kernel's arrival to the receive thread's read.
    var readDelayP50Ms = 0.0
    var readDelayP99Ms = 0.0
}

/// The result of one run, printed as a table and optionally written as JSON.
struct Summary {
    let options: LoadGen
    let join: JoinFigures
    let window: WindowFigures
    let windowSeconds: Double
    var mediadCpuSeconds: Double?
    var mediadRssKB: Int?
    var mediadRssGrowthKB: Int?
    /// The growth of the anonymous part of the RSS (`ProcessSample.anonymousKB`).
    var mediadAnonymousGrowthKB: Int?
    var generatorCpuSeconds: Double?
    var lateTicks: Double?
    var ticks: Double?
    var tickSeconds: Double?
    var tickBuckets: [(Double, Double)] = []

    init(options: LoadGen, join: JoinFigures, window: WindowFigures, windowSeconds: Double) {
        self.options = options
        self.join = join
        self.window = window
        self.windowSeconds = windowSeconds
    }

    var expected: Double { Double(window.listeners) * windowSeconds * 50 }
    var latePercent: Double { window.intervals > 0 ? 100 * Double(window.late) / Double(window.intervals) : 100 }
    var lossPercent: Double { expected > 0 ? 100 * max(0, 1 - Double(window.received) / expected) : 100 }
    var cpuMicrosPerParticipantFrame: Double? {
        guard let cpu = mediadCpuSeconds, join.connected > 0 else { return nil }
        return cpu * 1e6 / (Double(join.connected) * windowSeconds * 50)
    }
    /// Ticks slower than 5 ms: a tick mixes one of four phases of the rooms, so its
    /// budget is a quarter of the 20 ms period (the histogram's bound at 5 ms).
    var ticksOverBudget: Double? {
        guard let count = ticks, let within = tickBuckets.last(where: { $0.0 <= 0.005 + 1e-9 })?.1 else { return nil }
        return count - within
    }
    /// Milliseconds of mixing (all phases) per 20 ms period.
    var mixerBusyMsPer20ms: Double? {
        tickSeconds.map { $0 / max(windowSeconds, 1e-9) * 20 }
    }

    /// Whose CPU and memory `--mediad-pid` measured.
    var serverName: String { options.janus == nil ? "mediad" : "janus" }

    /// "mediad CPU" etc., padded to the summary's label column.
    func label(_ what: String) -> String { "\(serverName) \(what)".padding(toLength: 20, withPad: " ", startingAt: 0) }

    func ms(_ seconds: Double?) -> String { seconds.map { String(format: "%.1f ms", $0 * 1000) } ?? "n/a" }

    func print() {
        var lines: [String] = []
        let head = options.label.isEmpty ? "" : " [\(options.label)]"
        lines.append("==== loadgen summary\(head) ====")
        lines.append(String(format: "participants        %d (%d rooms × %d, %d talking per room)   connected %d   failed %d",
                            options.rooms * options.participantsPerRoom, options.rooms, options.participantsPerRoom,
                            options.talkers, join.connected, join.failed))
        for failure in join.failures { lines.append("  failure: \(failure)") }
        lines.append(String(format: "joins               %.1f/s achieved (ramp %.0f/s, %.1f s to all connected)",
                            join.joinsPerSecond, options.ramp, join.elapsed)
                     + "   join→media p50 \(ms(join.joinP50)) p99 \(ms(join.joinP99))")
        lines.append(String(format: "window              %.1f s", windowSeconds))
        lines.append(String(format: "packets             sent %d   received %d (%.2f%% missing vs 50/s)   seq gaps %d   reordered %d   SRTP auth failures %d",
                            window.sent, window.received, lossPercent, window.lost, window.reordered, window.srtpFailures))
        lines.append(String(format: "inter-arrival       late (>40 ms) %.3f%%   p50 %d ms   p99 %d ms   p99.9 %d ms   max %.0f ms",
                            latePercent, window.gapP50, window.gapP99, window.gapP999, window.maxGap * 1000))
        lines.append("mixer latency       n=\(window.latencyCount)   p50 \(ms(window.latencyP50))   p99 \(ms(window.latencyP99))"
                     + "   (timed at the read: p50 \(ms(window.latencyAtReadP50))   p99 \(ms(window.latencyAtReadP99)))")
        if !window.latencyBuckets.isEmpty {
            let shown = window.latencyBuckets.enumerated().filter { $0.element > 0 }.map { "\($0.offset * 2)-\($0.offset * 2 + 2):\($0.element)" }
            lines.append("  by 2 ms (ms:count) " + shown.joined(separator: " "))
        }
        if let cpu = mediadCpuSeconds {
            lines.append(String(format: label("CPU") + "%.1f%% of a core   %.1f µs per participant per 20 ms frame",
                                100 * cpu / windowSeconds, cpuMicrosPerParticipantFrame ?? 0))
        }
        if let rss = mediadRssKB {
            let growth = mediadRssGrowthKB ?? 0
            let participants = Double(max(1, join.connected))
            lines.append(String(format: label("memory") + "RSS %.1f MB   growth %.1f MB   %.1f KB per participant   (anonymous: %.1f KB per participant)",
                                Double(rss) / 1024, Double(growth) / 1024, Double(growth) / participants,
                                Double(mediadAnonymousGrowthKB ?? 0) / participants))
        }
        if let ticks, let tickSeconds {
            lines.append(String(format: "mediad ticks        %.0f ticks (5 ms phases)   late %.0f   over 5 ms %.0f   mean %.2f ms   mixing %.2f ms per 20 ms",
                                ticks, lateTicks ?? 0, ticksOverBudget ?? 0, ticks > 0 ? tickSeconds / ticks * 1000 : 0,
                                mixerBusyMsPer20ms ?? 0))
        }
        if let cpu = generatorCpuSeconds {
            lines.append(String(format: "generator           CPU %.1f%% of a core   send-clock lag p99 %d ms   max %d ms   read after arrival p50 %.2f ms   p99 %.2f ms",
                                100 * cpu / windowSeconds, window.lagP99, window.lagMax, window.readDelayP50Ms, window.readDelayP99Ms))
        }
        Swift.print(lines.joined(separator: "\n"))
    }

    var json: [String: Any] {
        var out: [String: Any] = [
            "label": options.label, "server": serverName, "rooms": options.rooms, "participantsPerRoom": options.participantsPerRoom,
            "participants": options.rooms * options.participantsPerRoom, "talkers": options.talkers,
            "ramp": options.ramp, "connected": join.connected, "failed": join.failed,
            "joinsPerSecond": join.joinsPerSecond, "joinP50": join.joinP50, "joinP99": join.joinP99,
            "windowSeconds": windowSeconds, "sent": window.sent, "received": window.received,
            "lossPercent": lossPercent, "seqGaps": window.lost, "latePercent": latePercent,
            "gapP99ms": window.gapP99, "maxGapMs": window.maxGap * 1000, "srtpFailures": window.srtpFailures,
            "latencyCount": window.latencyCount, "generatorLagP99ms": window.lagP99, "generatorLagMaxMs": window.lagMax,
        ]
        if let v = window.latencyP50 { out["latencyP50"] = v }
        if let v = window.latencyP99 { out["latencyP99"] = v }
        if let v = window.latencyAtReadP50 { out["latencyAtReadP50"] = v }
        if let v = window.latencyAtReadP99 { out["latencyAtReadP99"] = v }
        out["readDelayP50ms"] = window.readDelayP50Ms
        out["readDelayP99ms"] = window.readDelayP99Ms
        if !window.latencyBuckets.isEmpty { out["latencyBuckets2ms"] = window.latencyBuckets }
        if let v = mediadCpuSeconds { out["mediadCpuSeconds"] = v }
        if let v = cpuMicrosPerParticipantFrame { out["cpuMicrosPerParticipantFrame"] = v }
        if let v = mediadRssKB { out["mediadRssKB"] = v }
        if let v = mediadRssGrowthKB { out["mediadRssGrowthKB"] = v }
        if let v = mediadAnonymousGrowthKB { out["mediadAnonymousGrowthKB"] = v }
        if let v = generatorCpuSeconds { out["generatorCpuSeconds"] = v }
        if let v = lateTicks { out["lateTicks"] = v }
        if let v = ticks { out["ticks"] = v }
        if let v = tickSeconds { out["tickSeconds"] = v }
        if let v = ticksOverBudget { out["ticksOverBudget"] = v }
        if let v = mixerBusyMsPer20ms { out["mixerBusyMsPer20ms"] = v }
        return out
    }
}
