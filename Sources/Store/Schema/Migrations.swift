import GRDB

/// The store's schema history. Migrations are appended, never edited once released: the schema is this list.
///
/// Table names are documented in `store/README.md`; users query them (and the `v_*` views) with `rlhf query`.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        migrator.registerMigration("v2-run-deletion", migrate: v2RunDeletion)
        migrator.registerMigration("v3-metric-names", migrate: v3MetricNames)
        migrator.registerMigration("v4-run-parent", migrate: v4RunParent)
        migrator.registerMigration("v5-artifacts", migrate: artifacts)
        migrator.registerMigration("v6-statuses", migrate: v6Statuses)
        migrator.registerMigration("v7-binding-values", migrate: v7BindingValues)
        migrator.registerMigration("v8-commit-chain", migrate: v8CommitChain)
        migrator.registerMigration("v9-commit-events", migrate: v9CommitEvents)
        migrator.registerMigration("v10-run-metadata", migrate: v10RunMetadata)
        migrator.registerMigration("v11-sweeps", migrate: v11Sweeps)
        migrator.registerMigration("v12-metric-series", migrate: v12MetricSeries)
        migrator.registerMigration("v13-feedback-text", migrate: v13FeedbackText)
        migrator.registerMigration("v14-replay-of", migrate: v14ReplayOf)
        migrator.registerMigration("v15-cell-status-index", migrate: v15CellStatusIndex)
        return migrator
    }

    /// Every table, index and view of the first release.
    ///
    /// Notes on choices that are not obvious:
    /// - `cells.commit_id` and `commits.cell_id` point at each other; both are written in the cell's transaction.
    /// - `objects.kind` is the family (`checkpoint`/`dataset`); `versions.kind` is the label (`policy`, `reward`...).
    /// - `feedback` has no UNIQUE(object_id, uid): a relabelled row is a new row with the same uid.
    /// - `feedback.seed` stores the UInt64 bit pattern as a signed 64-bit integer.
    /// - `metrics.value` is nullable because SQLite stores NaN as NULL; NULL reads back as NaN.
    private static func v1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY,
                    notebook TEXT,
                    source TEXT NOT NULL,
                    parameters TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
                    started_at TEXT NOT NULL,
                    finished_at TEXT
                );
                CREATE TABLE cells (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    ordinal INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    title TEXT NOT NULL,
                    source TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
                    output TEXT NOT NULL,
                    error TEXT,
                    duration_ms REAL NOT NULL,
                    commit_id INTEGER REFERENCES commits(id)
                );
                CREATE INDEX cells_run ON cells(run_id, ordinal);
                CREATE TABLE commits (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    cell_id INTEGER REFERENCES cells(id),
                    note TEXT,
                    created_at TEXT NOT NULL
                );
                CREATE INDEX commits_run ON commits(run_id);
                CREATE TABLE objects (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('checkpoint', 'dataset')),
                    UNIQUE (run_id, name)
                );
                CREATE TABLE versions (
                    id INTEGER PRIMARY KEY,
                    object_id INTEGER NOT NULL REFERENCES objects(id),
                    version INTEGER NOT NULL,
                    commit_id INTEGER NOT NULL REFERENCES commits(id),
                    kind TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    config TEXT NOT NULL,
                    bytes_written INTEGER NOT NULL,
                    rows INTEGER,
                    note TEXT,
                    UNIQUE (object_id, version)
                );
                CREATE INDEX versions_commit ON versions(commit_id);
                CREATE INDEX versions_hash ON versions(content_hash);
                CREATE TABLE blobs (
                    hash TEXT PRIMARY KEY,
                    size INTEGER NOT NULL,
                    data BLOB NOT NULL
                );
                CREATE TABLE version_tensors (
                    version_id INTEGER NOT NULL REFERENCES versions(id),
                    name TEXT NOT NULL,
                    shape TEXT NOT NULL,
                    dtype TEXT NOT NULL DEFAULT 'f32',
                    blob_hash TEXT NOT NULL REFERENCES blobs(hash),
                    PRIMARY KEY (version_id, name)
                );
                CREATE INDEX version_tensors_blob ON version_tensors(blob_hash);
                CREATE TABLE feedback (
                    id INTEGER PRIMARY KEY,
                    object_id INTEGER NOT NULL REFERENCES objects(id),
                    uid INTEGER NOT NULL,
                    prompt INTEGER NOT NULL,
                    chosen BLOB NOT NULL,
                    rejected BLOB NOT NULL,
                    annotator TEXT NOT NULL,
                    seed INTEGER NOT NULL,
                    row_hash TEXT NOT NULL,
                    added_in INTEGER NOT NULL REFERENCES versions(id),
                    removed_in INTEGER REFERENCES versions(id)
                );
                CREATE INDEX feedback_object_uid ON feedback(object_id, uid);
                CREATE INDEX feedback_added ON feedback(added_in);
                CREATE INDEX feedback_removed ON feedback(removed_in);
                CREATE TABLE metrics (
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    commit_id INTEGER NOT NULL REFERENCES commits(id),
                    name TEXT NOT NULL,
                    step INTEGER NOT NULL,
                    value REAL
                );
                CREATE INDEX metrics_run_name_step ON metrics(run_id, name, step);
                CREATE INDEX metrics_commit ON metrics(commit_id);
                CREATE TABLE bindings (
                    commit_id INTEGER NOT NULL REFERENCES commits(id),
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('value', 'object')),
                    value TEXT,
                    version_id INTEGER REFERENCES versions(id),
                    PRIMARY KEY (commit_id, name)
                );

                CREATE VIEW v_runs AS
                SELECT r.id AS run, r.notebook, r.status, r.started_at, r.finished_at, r.parameters,
                       (SELECT count(*) FROM cells c WHERE c.run_id = r.id) AS cells,
                       (SELECT count(*) FROM cells c WHERE c.run_id = r.id AND c.status = 'failed') AS failed_cells,
                       (SELECT count(*) FROM objects o WHERE o.run_id = r.id) AS objects,
                       (SELECT count(*) FROM metrics m WHERE m.run_id = r.id) AS metric_points
                FROM runs r;
                CREATE VIEW v_metrics AS
                SELECT m.run_id AS run, m.name, m.step, m.value, c.ordinal AS cell, c.key AS cell_key, m.commit_id AS commit_id
                FROM metrics m
                JOIN commits co ON co.id = m.commit_id
                LEFT JOIN cells c ON c.id = co.cell_id;
                CREATE VIEW v_checkpoints AS
                SELECT o.run_id AS run, o.name AS object, v.version, v.kind, v.content_hash, v.bytes_written, v.note,
                       (SELECT count(*) FROM version_tensors t WHERE t.version_id = v.id) AS tensors,
                       (SELECT coalesce(sum(b.size), 0) FROM version_tensors t JOIN blobs b ON b.hash = t.blob_hash
                        WHERE t.version_id = v.id) AS bytes,
                       c.ordinal AS cell, c.key AS cell_key, co.created_at
                FROM versions v
                JOIN objects o ON o.id = v.object_id
                JOIN commits co ON co.id = v.commit_id
                LEFT JOIN cells c ON c.id = co.cell_id
                WHERE o.kind = 'checkpoint';
                CREATE VIEW v_feedback AS
                SELECT o.run_id AS run, o.name AS dataset, f.uid, f.prompt, f.annotator, f.seed,
                       va.version AS added_in, vr.version AS removed_in, c.ordinal AS added_by_cell, c.key AS added_by_cell_key
                FROM feedback f
                JOIN objects o ON o.id = f.object_id
                JOIN versions va ON va.id = f.added_in
                LEFT JOIN versions vr ON vr.id = f.removed_in
                JOIN commits co ON co.id = va.commit_id
                LEFT JOIN cells c ON c.id = co.cell_id;
                """)
    }

    /// Files cells produce (chart SVGs), stored with the cell's commit; their bytes live in `blobs` by SHA-256.
    /// `text` is the form the cell printed (a terminal chart), so a report can put the SVG where the text was.
    private static func artifacts(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE artifacts (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    commit_id INTEGER NOT NULL REFERENCES commits(id),
                    position INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    media_type TEXT NOT NULL,
                    blob_hash TEXT NOT NULL REFERENCES blobs(hash),
                    text TEXT,
                    UNIQUE (commit_id, position)
                );
                CREATE INDEX artifacts_run ON artifacts(run_id);
                CREATE VIEW v_artifacts AS
                SELECT a.run_id AS run, c.ordinal AS cell, c.key AS cell_key, a.commit_id AS commit_id, a.position, a.name,
                       a.media_type, a.blob_hash, b.size
                FROM artifacts a
                JOIN blobs b ON b.hash = a.blob_hash
                JOIN commits co ON co.id = a.commit_id
                LEFT JOIN cells c ON c.id = co.cell_id;
                """)
    }
}
