import GRDB

extension Migrations {
    /// What a commit without a cell did, as typed fields a replay reads (`commit_events`), instead of its note.
    ///
    /// Existing stores are backfilled here, and only here, from what they hold: a rollback commit's note
    /// `rollback to vN` with the one version it wrote (its object), a resume's first commit from its run's
    /// `parent_run` and `resumed_at_cell`. Notes stay as they were: they are part of each commit's hash.
    static func v9CommitEvents(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE commit_events (
                    commit_id INTEGER PRIMARY KEY REFERENCES commits(id),
                    kind TEXT NOT NULL CHECK (kind IN ('rollback', 'resume')),
                    object TEXT,
                    version INTEGER,
                    parent_run INTEGER,
                    cell INTEGER,
                    CHECK ((kind = 'rollback') = (object IS NOT NULL AND version IS NOT NULL)),
                    CHECK ((kind = 'resume') = (parent_run IS NOT NULL AND cell IS NOT NULL))
                );
                INSERT INTO commit_events (commit_id, kind, object, version)
                SELECT co.id, 'rollback', o.name, CAST(substr(co.note, 14) AS INTEGER)
                FROM commits co
                JOIN versions v ON v.commit_id = co.id
                JOIN objects o ON o.id = v.object_id
                WHERE co.cell_id IS NULL AND co.note LIKE 'rollback to v_%'
                    AND substr(co.note, 14) NOT GLOB '*[^0-9]*'
                ORDER BY co.id;
                INSERT OR IGNORE INTO commit_events (commit_id, kind, parent_run, cell)
                SELECT co.id, 'resume', r.parent_run, r.resumed_at_cell
                FROM commits co JOIN runs r ON r.id = co.run_id
                WHERE co.cell_id IS NULL AND co.note LIKE 'resumed from run % before cell %'
                    AND r.parent_run IS NOT NULL AND r.resumed_at_cell IS NOT NULL
                ORDER BY co.id;
                """)
    }
}
