import GRDB

extension Migrations {
    /// A tamper-evident store: every commit gets `parts` (the hashes of what it holds) and `hash` (chained to the
    /// previous commit's), as defined by ``CommitParts`` and ``CommitChain`` and documented in store/README.md.
    /// Existing commits are hashed here, in id order, from what the store holds now.
    static func v8CommitChain(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE commits ADD COLUMN parts TEXT;
                ALTER TABLE commits ADD COLUMN hash TEXT;
                """)
        var metrics = try CommitChain.MetricsByCommit(db)
        for commit in try Int64.fetchAll(db, sql: "SELECT id FROM commits ORDER BY id") {
            try CommitChain.seal(db, commit: commit, metrics: try metrics.points(of: commit))
        }
    }
}
