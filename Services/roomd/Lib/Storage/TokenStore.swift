import Foundation
import GRDB

/// Join tokens, stored only as their SHA-256.
public struct TokenStore: Sendable {
    let database: DatabaseQueue

    public init(database: DatabaseQueue) {
        self.database = database
    }

    public func insert(_ token: TokenRecord) async throws {
        try await database.write { db in try token.insert(db) }
    }

    public func token(hash: String) async throws -> TokenRecord? {
        // Every signalling join looks its token up: a cached prepared statement as for rooms.
        try await database.read { db in
            try TokenRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM tokens WHERE token_hash = ?"), arguments: [hash])
        }
    }

    /// Revokes the participant's tokens in the room; returns how many were live.
    @discardableResult
    public func revoke(roomId: String, participantId: String) async throws -> Int {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE tokens SET revoked = 1 WHERE room_id = ? AND participant_id = ? AND revoked = 0",
                arguments: [roomId, participantId])
            return db.changesCount
        }
    }
}
