import GRDB

extension Migrations {
    /// The migrations a store has applied that this rlhf does not know, in the order they were applied: a store
    /// written by a newer rlhf. Empty for a store this rlhf understands (or one without the migrations table yet).
    ///
    /// Every write checks this first (see ``LabStore/write(_:)``): a newer rlhf may have changed what rows mean, so an
    /// older one must not add, change or purge any, not even rows it could parse.
    static func unknownMigrations(_ db: Database) throws -> [String] {
        guard try db.tableExists("grdb_migrations") else { return [] }
        return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
            .filter { !known.contains($0) }
    }

    private static let known = Set(migrator.migrations)

    /// Throws ``StoreError/newerStore(_:migrations:)`` for a store written by a newer rlhf.
    static func refuseNewer(_ db: Database, path: String) throws {
        let unknown = try unknownMigrations(db)
        if !unknown.isEmpty { throw StoreError.newerStore(path, migrations: unknown) }
    }
}
