import Foundation
import GRDB

/// Rooms and their placement, persisted in SQLite.
public struct RoomStore: Sendable {
    let database: DatabaseQueue

    public init(database: DatabaseQueue) {
        self.database = database
    }

    public func insert(_ room: RoomRecord) async throws {
        try await database.write { db in try room.insert(db) }
    }

    public func room(id: String) async throws -> RoomRecord? {
        // Every join reads its room: a cached prepared statement skips SQL generation and parsing.
        try await database.read { db in
            try RoomRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM rooms WHERE id = ?"), arguments: [id])
        }
    }

    public func allRooms() async throws -> [RoomRecord] {
        try await database.read { db in
            try RoomRecord.order(Column("created_at"), Column("id")).fetchAll(db)
        }
    }

    /// Revokes the room's tokens and deletes it; false when there was no such room.
    public func delete(id: String) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "UPDATE tokens SET revoked = 1 WHERE room_id = ?", arguments: [id])
            return try RoomRecord.deleteOne(db, key: id)
        }
    }

    public func setPlacement(roomId: String, mediaServerId: String?) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE rooms SET media_server_id = ? WHERE id = ?", arguments: [mediaServerId, roomId])
        }
    }

    /// Room id → media server id, for every placed room (read once at start-up).
    public func placements() throws -> [String: String] {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, media_server_id FROM rooms WHERE media_server_id IS NOT NULL")
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as String, $0["media_server_id"] as String) })
        }
    }
}
