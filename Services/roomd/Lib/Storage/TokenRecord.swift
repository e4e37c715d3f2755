import Foundation
import GRDB

/// A row of `tokens`: the SHA-256 of a join token and whom it admits. The token itself
/// is never stored.
public struct TokenRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "tokens"

    public var tokenHash: String
    public var roomId: String
    public var participantId: String
    public var displayName: String
    public var expiresAt: Date
    public var revoked: Bool

    enum CodingKeys: String, CodingKey {
        case tokenHash = "token_hash"
        case roomId = "room_id"
        case participantId = "participant_id"
        case displayName = "display_name"
        case expiresAt = "expires_at"
        case revoked
    }
}
