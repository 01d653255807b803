import GRDB

/// Migrations after the first release, appended in order (see ``Migrations/migrator``).
extension Migrations {
    /// `rlhf rm RUN` marks a run deleted (its rows stay until `rlhf gc` purges them); listings hide deleted runs.
    static func v2RunDeletion(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE runs ADD COLUMN deleted_at TEXT")
    }

    /// Metric names are interned and points live in a table clustered by series: `metric_points` (WITHOUT ROWID,
    /// key run, name, step) holds about 20 bytes per point and needs no second index. `metrics` becomes a view with
    /// the same columns as before, so existing queries keep working; `v_metrics` reads the points directly.
    /// A series has one point per step in a run.
    static func v3MetricNames(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE metric_names (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE
                );
                CREATE TABLE metric_points (
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    name_id INTEGER NOT NULL REFERENCES metric_names(id),
                    step INTEGER NOT NULL,
                    commit_id INTEGER NOT NULL REFERENCES commits(id),
                    value REAL,
                    PRIMARY KEY (run_id, name_id, step)
                ) WITHOUT ROWID;
                INSERT INTO metric_names (name) SELECT DISTINCT name FROM metrics ORDER BY name;
                INSERT OR REPLACE INTO metric_points (run_id, name_id, step, commit_id, value)
                SELECT m.run_id, n.id, m.step, m.commit_id, m.value FROM metrics m JOIN metric_names n ON n.name = m.name
                ORDER BY m.rowid;
                DROP VIEW v_metrics;
                DROP VIEW v_runs;
                DROP TABLE metrics;
                CREATE VIEW metrics AS
                SELECT p.run_id, p.commit_id, n.name, p.step, p.value
                FROM metric_points p JOIN metric_names n ON n.id = p.name_id;
                CREATE VIEW v_metrics AS
                SELECT p.run_id AS run, n.name, p.step, p.value, c.ordinal AS cell, c.key AS cell_key, p.commit_id AS commit_id
                FROM metric_points p
                JOIN metric_names n ON n.id = p.name_id
                JOIN commits co ON co.id = p.commit_id
                LEFT JOIN cells c ON c.id = co.cell_id;
                CREATE VIEW v_runs AS
                SELECT r.id AS run, r.notebook, r.status, r.started_at, r.finished_at, r.parameters,
                       (SELECT count(*) FROM cells c WHERE c.run_id = r.id) AS cells,
                       (SELECT count(*) FROM cells c WHERE c.run_id = r.id AND c.status = 'failed') AS failed_cells,
                       (SELECT count(*) FROM objects o WHERE o.run_id = r.id) AS objects,
                       (SELECT count(*) FROM metric_points m WHERE m.run_id = r.id) AS metric_points
                FROM runs r;
                """)
    }

    /// A run resumed with `rlhf run --resume` records its parent and the cell it resumed at.
    static func v4RunParent(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE runs ADD COLUMN parent_run INTEGER REFERENCES runs(id);
                ALTER TABLE runs ADD COLUMN resumed_at_cell INTEGER;
                """)
    }
}
