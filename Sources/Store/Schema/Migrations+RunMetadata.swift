import GRDB

extension Migrations {
    /// Run names, notes, tags and the environment a run ran in.
    ///
    /// None of it is hashed into a commit: a replay on another machine, under another name, must still give the same
    /// commit hashes. A name is unique among runs (SQLite lets any number of rows leave it NULL). `git_state` says
    /// what was found: `clean` or `dirty` (with `git_revision`), `no repository`, or `no git` (no `git` executable).
    static func v10RunMetadata(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE runs ADD COLUMN name TEXT;
                ALTER TABLE runs ADD COLUMN note TEXT;
                CREATE UNIQUE INDEX runs_name ON runs(name);
                CREATE TABLE run_tags (
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    tag TEXT NOT NULL,
                    PRIMARY KEY (run_id, tag)
                );
                CREATE INDEX run_tags_tag ON run_tags(tag);
                CREATE TABLE run_environment (
                    run_id INTEGER PRIMARY KEY REFERENCES runs(id),
                    rlhf_version TEXT NOT NULL,
                    build TEXT NOT NULL,
                    git_state TEXT NOT NULL CHECK (git_state IN ('clean', 'dirty', 'no repository', 'no git')),
                    git_revision TEXT,
                    host TEXT NOT NULL,
                    os TEXT NOT NULL,
                    kernels TEXT NOT NULL,
                    threads INTEGER NOT NULL,
                    CHECK ((git_revision IS NOT NULL) = (git_state IN ('clean', 'dirty')))
                );
                """)
    }
}
