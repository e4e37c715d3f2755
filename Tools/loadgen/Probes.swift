import Foundation

/// CPU time and resident memory of a process, from /proc.
struct ProcessSample {
    var cpuSeconds: Double
    var rssKB: Int
    /// The anonymous part of the RSS (heap, stacks): what the process allocated. The
    /// rest is file pages (code, read-only data), whose first use by the media path
    /// counts as RSS growth without being memory any participant holds.
    var anonymousKB: Int

    static func read(pid: Int32) -> ProcessSample? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name: state is field 3, utime 14, stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        func kilobytes(_ field: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return 0 }
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return ProcessSample(cpuSeconds: (user + system) / ticks, rssKB: kilobytes("VmRSS"), anonymousKB: kilobytes("RssAnon"))
    }
}

/// A Prometheus text exposition, flattened to `name{labels}` → value.
struct MetricsSample {
    var values: [String: Double] = [:]

    init(text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
    }

    init() {}

    func value(_ name: String) -> Double { values[name] ?? 0 }

    /// Sum over every label set of a series.
    func total(_ name: String) -> Double {
        values.filter { $0.key == name || $0.key.hasPrefix(name + "{") }.reduce(0) { $0 + $1.value }
    }

    /// Histogram buckets of a series as (upper bound, cumulative count), sorted.
    func buckets(_ name: String) -> [(Double, Double)] {
        values.compactMap { key, value -> (Double, Double)? in
            guard key.hasPrefix(name + "_bucket{"), let range = key.range(of: "le=\"") else { return nil }
            let rest = key[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { return nil }
            let bound = rest[..<end] == "+Inf" ? Double.infinity : Double(rest[..<end]) ?? .infinity
            return (bound, value)
        }.sorted { $0.0 < $1.0 }
    }
}
