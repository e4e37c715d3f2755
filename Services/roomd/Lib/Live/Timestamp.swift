import Foundation

/// RFC 3339 timestamps in UTC with whole seconds, as API.md shows them.
public enum Timestamp {
    public static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }
}
