import GRDB

extension Migrations {
    /// Two changes that need `runs` and `cells` rebuilt (SQLite cannot alter a CHECK constraint or add AUTOINCREMENT):
    ///
    /// - A cell stopped by Ctrl-C, a signal or `--cell-timeout` is recorded as `cancelled`, and so is the run it
    ///   stopped; neither is a fault in the notebook, so neither is `failed`.
    /// - Run ids are never reused: `runs.id` becomes AUTOINCREMENT, so purging the newest run with `rlhf gc` cannot
    ///   hand its id to the next run (an old `load("2/policy")` would then load another run's policy).
    ///
    /// The views that read these tables are dropped first and recreated as they were (their latest definitions).
    /// Foreign keys are off during a migration and checked before it commits (GRDB's deferred checks).
    static func v6Statuses(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP VIEW v_runs;
                DROP VIEW v_metrics;
                DROP VIEW v_checkpoints;
                DROP VIEW v_feedback;
                DROP VIEW v_artifacts;

                CREATE TABLE runs_v6 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    notebook TEXT,
                    source TEXT NOT NULL,
                    parameters TEXT NOT NULL,
                    status TEXT NOT NULL
                        CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted', 'cancelled')),
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    deleted_at TEXT,
                    parent_run INTEGER REFERENCES runs(id),
                    resumed_at_cell INTEGER
                );
                INSERT INTO runs_v6 (id, notebook, source, parameters, status, started_at, finished_at, deleted_at,
                                     parent_run, resumed_at_cell)
                SELECT id, notebook, source, parameters, status, started_at, finished_at, deleted_at,
                       parent_run, resumed_at_cell
                FROM runs ORDER BY id;
                DROP TABLE runs;
                ALTER TABLE runs_v6 RENAME TO runs;

                CREATE TABLE cells_v6 (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    ordinal INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    title TEXT NOT NULL,
                    source TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'cancelled')),
                    output TEXT NOT NULL,
                    error TEXT,
                    duration_ms REAL NOT NULL,
                    commit_id INTEGER REFERENCES commits(id)
                );
                INSERT INTO cells_v6 (id, run_id, ordinal, key, title, source, status, output, error, duration_ms,
                                      commit_id)
                SELECT id, run_id, ordinal, key, title, source, status, output, error, duration_ms, commit_id
                FROM cells ORDER BY id;
                DROP TABLE cells;
                ALTER TABLE cells_v6 RENAME TO cells;
                CREATE INDEX cells_run ON cells(run_id, ordinal);

                CREATE VIEW v_runs AS
                SELECT r.id AS run, r.notebook, r.status, r.started_at, r.finished_at, r.parameters,
                       (SELECT count(*) FROM cells c WHERE c.run_id = r.id) AS cells,
                       (SELECT count(*) FROM cells c WHERE c.run_id = r.id AND c.status = 'failed') AS failed_cells,
                       (SELECT count(*) FROM objects o WHERE o.run_id = r.id) AS objects,
                       (SELECT count(*) FROM metric_points m WHERE m.run_id = r.id) AS metric_points
                FROM runs r;
                CREATE VIEW v_metrics AS
                SELECT p.run_id AS run, n.name, p.step, p.value, c.ordinal AS cell, c.key AS cell_key,
                       p.commit_id AS commit_id
                FROM metric_points p
                JOIN metric_names n ON n.id = p.name_id
                JOIN commits co ON co.id = p.commit_id
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
                       va.version AS added_in, vr.version AS removed_in, c.ordinal AS added_by_cell,
                       c.key AS added_by_cell_key
                FROM feedback f
                JOIN objects o ON o.id = f.object_id
                JOIN versions va ON va.id = f.added_in
                LEFT JOIN versions vr ON vr.id = f.removed_in
                JOIN commits co ON co.id = va.commit_id
                LEFT JOIN cells c ON c.id = co.cell_id;
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
