import GRDB

extension Migrations {
    /// Sweeps (`rlhf sweep`): a notebook run over a grid of parameter values × seeds, each run one row of
    /// `sweep_runs` with its grid point and seed.
    ///
    /// A sweep is identified by its notebook path, the SHA-256 of the notebook's text and its grid (canonical JSON),
    /// so running the same command again finds it and runs only what has not succeeded; an edited notebook starts a
    /// new sweep. `sweep_runs.point` numbers the grid's points from 0, first parameter slowest; `seed` is NULL in a
    /// sweep without `--seeds`. Like run names and tags, none of it is part of a commit's hash.
    static func v11Sweeps(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE sweeps (
                    id INTEGER PRIMARY KEY,
                    notebook TEXT NOT NULL,
                    source_hash TEXT NOT NULL,
                    grid TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    UNIQUE (notebook, source_hash, grid)
                );
                CREATE TABLE sweep_runs (
                    run_id INTEGER PRIMARY KEY REFERENCES runs(id),
                    sweep_id INTEGER NOT NULL REFERENCES sweeps(id),
                    point INTEGER NOT NULL CHECK (point >= 0),
                    seed INTEGER
                );
                CREATE INDEX sweep_runs_sweep ON sweep_runs(sweep_id, point, seed);
                """)
    }
}
