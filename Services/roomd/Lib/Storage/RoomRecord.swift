import Foundation
import GRDB

/// A row of `rooms`.
public struct RoomRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "rooms"

    public var id: String
    public var name: String
    public var pinHash: String?
    public var maxParticipants: Int
    public var createdAt: Date
    public var mediaServerId: String?

    enum CodingKeys: String, CodingKey {
        case id, name
        case pinHash = "pin_hash"
        case maxParticipants = "max_participants"
        case createdAt = "created_at"
        case mediaServerId = "media_server_id"
    }

    public init(id: String, name: String, pinHash: String?, maxParticipants: Int, createdAt: Date, mediaServerId: String? = nil) {
        self.id = id
        self.name = name
        self.pinHash = pinHash
        self.maxParticipants = maxParticipants
        self.createdAt = createdAt
        self.mediaServerId = mediaServerId
    }
}
