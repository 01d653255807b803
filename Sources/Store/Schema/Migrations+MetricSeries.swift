import GRDB

extension Migrations {
    /// One row per metric series of a run: how many points it holds and its last step, kept by each commit's insert
    /// (``DBMetric/insert(_:run:commit:cell:points:)``) and by `gc`'s purge.
    ///
    /// Listings read these instead of the points: `rlhf runs` counted every point of every run (10 M rows in a store of
    /// a thousand runs) and the final value of a series was found by comparing each of its points with the series'
    /// maximum step. Existing stores are backfilled here from their points. Nothing here is hashed into a commit.
    static func v12MetricSeries(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE metric_series (
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    name_id INTEGER NOT NULL REFERENCES metric_names(id),
                    points INTEGER NOT NULL CHECK (points > 0),
                    last_step INTEGER NOT NULL,
                    PRIMARY KEY (run_id, name_id)
                ) WITHOUT ROWID;
                INSERT INTO metric_series (run_id, name_id, points, last_step)
                SELECT run_id, name_id, count(*), max(step) FROM metric_points GROUP BY run_id, name_id
                ORDER BY run_id, name_id;
                """)
    }
}
