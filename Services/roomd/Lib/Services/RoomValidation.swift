import Foundation

/// Input limits for the REST API.
enum RoomValidation {
    static let nameLength = 1...100
    static let displayNameLength = 1...64
    static let pinLength = 1...64
    static let maxParticipants = 1...10_000
    static let defaultMaxParticipants = 100
    /// Longest id we bother looking up; anything longer cannot exist.
    static let maxIdLength = 64

    static func require(_ text: String, in range: ClosedRange<Int>, field: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard range.contains(trimmed.count) else {
            throw RoomError.invalidRequest("\(field) must be \(range.lowerBound)–\(range.upperBound) characters")
        }
        return trimmed
    }

    static func plausibleId(_ id: String) -> Bool {
        (1...maxIdLength).contains(id.utf8.count)
    }
}
