import GRDB

/// Migrations after the first release, appended in order (see ``Migrations/migrator``).
extension Migrations {
    /// `rlhf rm RUN` marks a run deleted (its rows stay until `rlhf gc` purges them); listings hide deleted runs.
    static func v2RunDeletion(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE runs ADD COLUMN deleted_at TEXT")
    }
}
