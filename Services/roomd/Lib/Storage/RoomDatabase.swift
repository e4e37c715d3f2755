import Foundation
import GRDB

/// Opens the SQLite file (creating its directory) and brings its schema up to date.
public enum RoomDatabase {
    public static func open(path: String) throws -> DatabaseQueue {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        // WAL with synchronous=NORMAL: a commit is one append, not a journal plus two
        // fsyncs. A crashed roomd loses nothing; a power cut may lose the last joins.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        try migrator.migrate(queue)
        return queue
    }

    /// Versioned schema changes; append new versions, never edit shipped ones.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "rooms") { table in
                table.primaryKey("id", .text)
                table.column("name", .text).notNull()
                table.column("pin_hash", .text)
                table.column("max_participants", .integer).notNull()
                table.column("created_at", .datetime).notNull()
                table.column("media_server_id", .text)
            }
            try db.create(table: "tokens") { table in
                table.primaryKey("token_hash", .text)
                table.column("room_id", .text).notNull().indexed()
                table.column("participant_id", .text).notNull().indexed()
                table.column("display_name", .text).notNull()
                table.column("expires_at", .datetime).notNull()
                table.column("revoked", .boolean).notNull().defaults(to: false)
            }
        }
        return migrator
    }
}
