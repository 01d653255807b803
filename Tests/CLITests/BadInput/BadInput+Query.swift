/// `rlhf query` (writes, pragmas, attachments and impure functions in every spelling, SQL errors, `--timeout`),
/// `rlhf charts`/`report` output paths, and `rlhf run --param` edges, including overrides that cannot take effect.
extension BadInputCorpus {
    static let query: [BadInputCase] =
        refusedSQL + sqlErrors + badTimeouts + pastTimeouts + outputPaths + parameters + parametersWithoutEffect

    /// `query/refused-*`: each refused by SQLite's authorizer (or as a writing statement) before anything runs.
    private static let refusedSQL: [BadInputCase] =
        ([
            ("delete", "DELETE FROM runs", "refused DELETE from 'runs'"),
            ("delete-mixed-case", "DeLeTe FrOm runs", "refused DELETE from 'runs'"),
            ("delete-quoted", #"DELETE FROM "runs""#, "refused DELETE from 'runs'"),
            ("delete-bracketed", "DELETE FROM [runs]", "refused DELETE from 'runs'"),
            ("delete-backticks", "DELETE FROM `runs`", "refused DELETE from 'runs'"),
            ("delete-schema-qualified", "DELETE FROM main.runs", "refused DELETE from 'runs'"),
            (
                "delete-after-comment", "/* hi */ -- there\n delete from metric_points",
                "refused DELETE from 'metric_points'"
            ),
            ("with-delete", "WITH x AS (SELECT 1) DELETE FROM blobs", "refused DELETE from 'blobs'"),
            (
                "recursive-with-delete",
                "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3) DELETE FROM runs",
                "refused DELETE from 'runs'"
            ),
            ("explain-delete", "EXPLAIN DELETE FROM runs", "refused DELETE from 'runs'"),
            ("select-then-delete", "SELECT 1; DELETE FROM runs", "refused DELETE from 'runs'"),
            ("empty-statements-then-delete", ";;; ; DELETE FROM runs", "refused DELETE from 'runs'"),
            ("no-op-then-delete", "DROP TRIGGER IF EXISTS nosuch; DELETE FROM runs", "refused DELETE from 'runs'"),
            ("insert", "INSERT INTO metric_names (name) VALUES ('x')", "refused INSERT into 'metric_names'"),
            (
                "insert-or-ignore", "INSERT OR IGNORE INTO metric_names (name) VALUES ('x')",
                "refused INSERT into 'metric_names'"
            ),
            ("replace", "REPLACE INTO blobs VALUES ('h', 0, X'')", "refused INSERT into 'blobs'"),
            (
                "upsert", "INSERT INTO metric_names (name) VALUES ('x') ON CONFLICT DO NOTHING",
                "refused INSERT into 'metric_names'"
            ),
            ("update", "UPDATE runs SET status = 'failed'", "refused UPDATE of 'runs'"),
            ("update-or-replace", "UPDATE OR REPLACE runs SET status = 'x' WHERE 0", "refused UPDATE of 'runs'"),
            ("drop-table", "DROP TABLE runs", "refused a change to the schema"),
            ("drop-view", "DROP VIEW v_runs", "refused a change to the schema"),
            ("create-table", "CREATE TABLE t (x)", "refused a change to the schema"),
            ("create-temp-table", "CREATE TEMP TABLE t AS SELECT * FROM runs", "refused a change to the schema"),
            ("create-temp-view", "CREATE TEMPORARY VIEW w AS SELECT 1", "refused a change to the schema"),
            ("create-index", "CREATE INDEX i ON runs (status)", "refused a change to the schema"),
            (
                "create-temp-trigger", "CREATE TEMP TRIGGER g AFTER INSERT ON runs BEGIN SELECT 1; END",
                "refused CREATE TEMP TRIGGER 'g'"
            ),
            ("create-virtual-table", "CREATE VIRTUAL TABLE f USING fts5(x)", "refused a change to the schema"),
            (
                "insert-schema", "INSERT INTO sqlite_master VALUES ('table', 't', 't', 0, '')",
                "refused a change to the schema"
            ),
            ("alter-add-column", "ALTER TABLE runs ADD COLUMN x", "refused ALTER TABLE 'runs'"),
            ("alter-rename", "ALTER TABLE runs RENAME TO r", "refused ALTER TABLE 'runs'"),
            ("pragma-assign", "PRAGMA journal_mode=DELETE", "refused PRAGMA journal_mode = DELETE"),
            ("pragma-call", "PRAGMA journal_mode(DELETE)", "refused PRAGMA journal_mode = DELETE"),
            ("pragma-quoted-name", #"PRAGMA "query_only"(0)"#, "refused PRAGMA query_only = 0"),
            ("pragma-single-quoted-name", "PRAGMA 'query_only' = 0", "refused PRAGMA query_only = 0"),
            ("pragma-bracketed-name", "PRAGMA [query_only] = false", "refused PRAGMA query_only = false"),
            ("pragma-comments", "/**/PRAGMA/**/query_only/**/=/**/0", "refused PRAGMA query_only = 0"),
            ("pragma-schema-qualified", "pragma main.user_version = 3", "refused PRAGMA user_version = 3"),
            ("pragma-writable-schema", "PRAGMA writable_schema = 1", "refused PRAGMA writable_schema = 1"),
            ("pragma-foreign-keys-off", "PRAGMA foreign_keys = OFF", "refused PRAGMA foreign_keys = OFF"),
            ("pragma-wal-checkpoint", "PRAGMA wal_checkpoint(TRUNCATE)", "refused PRAGMA wal_checkpoint = TRUNCATE"),
            ("pragma-optimize", "PRAGMA optimize", "refused PRAGMA optimize"),
            ("pragma-after-select", "SELECT * FROM runs; PRAGMA query_only = 0", "refused PRAGMA query_only = 0"),
            ("attach", "ATTACH 'other.sqlite' AS o", "refused ATTACH 'other.sqlite'"),
            ("attach-memory", "attach database ':memory:' as m", "refused ATTACH ':memory:'"),
            ("detach", "DETACH o", "refused DETACH 'o'"),
            ("vacuum", "VACUUM", "refused a statement that writes"),
            ("vacuum-into", "VACUUM INTO 'copy.sqlite'", "refused a statement that writes"),
            ("reindex", "REINDEX", "refused REINDEX"),
            ("analyze", "ANALYZE", "refused a change to the schema"),
            ("begin", "BEGIN IMMEDIATE", "refused BEGIN"),
            ("commit", "COMMIT", "refused COMMIT"),
            ("end", "END", "refused COMMIT"),
            ("rollback", "ROLLBACK", "refused ROLLBACK"),
            ("savepoint", "SAVEPOINT s", "refused SAVEPOINT (BEGIN s)"),
            ("release", "RELEASE s", "refused SAVEPOINT (RELEASE s)"),
            ("fts3-tokenizer", "SELECT fts3_tokenizer('simple')", "refused the function fts3_tokenizer()"),
            ("fts3-tokenizer-upper", "SELECT FTS3_TOKENIZER('simple')", "refused the function fts3_tokenizer()"),
            ("load-extension", "SELECT load_extension('x')", "refused the function load_extension()"),
            ("randomblob", "SELECT length(randomblob(1000000000))", "refused the function randomblob()"),
            ("zeroblob", "SELECT length(zeroblob(1000000000))", "refused the function zeroblob()"),
            ("changes", "SELECT changes()", "refused the function changes()"),
            ("last-insert-rowid", "SELECT last_insert_rowid()", "refused the function last_insert_rowid()"),
            ("temp-schema", "SELECT * FROM temp.sqlite_master", "refused reading 'temp'.'sqlite_temp_master'"),
            ("dbstat", "SELECT * FROM dbstat", "refused reading 'dbstat'"),
            ("sqlite-stmt", "SELECT sql FROM sqlite_stmt", "refused reading 'sqlite_stmt'"),
            ("pragma-function", "SELECT * FROM pragma_function_list", "refused PRAGMA function_list"),
            (
                "pragma-function-with-value", "SELECT * FROM pragma_table_info('runs') JOIN pragma_cache_size",
                "refused PRAGMA cache_size"
            ),
        ] as [(String, String, String)]).map { name, sql, error in
            .cli("query/refused-\(name)", ["query", sql], error: error)
        }

    /// `query/sql-*`: text SQLite cannot compile or stops on, as one `SQL error:` line.
    private static let sqlErrors: [BadInputCase] =
        ([
            ("syntax", "SELEC 1", "SQL error: near \"SELEC\": syntax error"),
            ("unknown-table", "SELECT * FROM no_such_table", "SQL error: no such table: no_such_table"),
            ("unknown-column", "SELECT nope FROM runs", "SQL error: no such column: nope"),
            ("unknown-function", "SELECT no_such_function(1)", "SQL error: no such function: no_such_function"),
            ("unclosed", "SELECT (1", "SQL error: incomplete input"),
            (
                "update-schema-table", "UPDATE sqlite_master SET sql = 'x'",
                "SQL error: table sqlite_master may not be modified"
            ),
            ("integer-overflow", "SELECT abs(-9223372036854775808)", "SQL error: integer overflow"),
            ("malformed-json", "SELECT json_extract('{', '$')", "SQL error: malformed JSON"),
        ] as [(String, String, String)]).map { name, sql, error in
            .cli("query/sql-\(name)", ["query", sql], error: error)
        }

    /// `query/timeout-*`: `--timeout` values, and queries that run past theirs.
    private static let badTimeouts: [BadInputCase] = [
        "0", "abc", "nan", "inf", "1e3", "86401", "", " 5", "0x10", "1..2", "30s", "-0",
    ].enumerated().map { index, value in
        .cli(
            "query/timeout-bad-\(index)",
            ["query", "SELECT 1"] + (value.hasPrefix("-") ? ["--timeout=\(value)"] : ["--timeout", value]),
            error: "error: --timeout '\(value)' is not a number of seconds above 0 and at most 86400")
    }

    private static let pastTimeouts: [BadInputCase] =
        ([
            ("endless-count", "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c"),
            ("endless-distinct", "WITH RECURSIVE c(n) AS (SELECT 1 UNION SELECT n + 1 FROM c) SELECT max(n) FROM c"),
            ("endless-rows", "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT n FROM c"),
            ("cross-join", "SELECT count(*) FROM metrics a, metrics b, metrics c, metrics d, metrics e"),
        ] as [(String, String)]).map { name, sql in
            .cli(
                "query/timeout-\(name)", ["query", sql, "--timeout", "0.5", "--csv"],
                error: "query stopped after 0.5 s (--timeout)")
        } + [
            .cli(
                "query/json-and-csv", ["query", "SELECT 1", "--json", "--csv"], exit: 64,
                error: "choose one of --json and --csv")
        ]

    /// `charts/*`, `report/*`: output paths that cannot be written, as one line naming the path.
    private static let outputPaths: [BadInputCase] = [
        BadInputCase(
            name: "charts/out-is-a-file", arguments: ["charts", "1", "--out", "{dir}/file", "--store", "{store}"],
            files: ["file": Array("x".utf8)], exit: 1, error: "cannot create the folder '{dir}/file': File exists"),
        .cli(
            "charts/out-under-dev-null", ["charts", "1", "--out", "/dev/null/x"],
            error: "cannot create the folder '/dev/null/x': Not a directory"),
        .cli("charts/unknown-run", ["charts", "4", "--out", "{dir}/out"], error: "unknown run '4' (latest is 1)"),
        .cli(
            "report/missing-folder", ["report", "1", "-o", "{dir}/missing/r.html"],
            error: "cannot write '{dir}/missing/r.html': No such file or directory"),
        .cli("report/a-directory", ["report", "1", "-o", "{dir}"], error: "cannot write '{dir}': Is a directory"),
        .cli(
            "report/under-dev-null", ["report", "1", "-o", "/dev/null/r.html"], error: "cannot write '/dev/null/r.html'"
        ),
    ]

    /// A notebook whose parameters cell is code cell 1.
    private static let parametersNotebook = """
        # %% parameters id=params
        steps = 10
        lr = 1e-3
        name = "a"
        flag = true
        # %% go id=go
        print(steps)
        """

    /// `param/*`: each `--param` refused before any run is written.
    private static let parameters: [BadInputCase] =
        ([
            ("unknown", ["stepz=1"], "unknown parameter 'stepz'; did you mean 'steps'?"),
            ("twice", ["steps=1", "steps=2"], "--param steps is given twice ('1' and '2')"),
            ("infinite", ["lr=1e999"], "--param lr: '1e999' is not a finite number"),
            ("negative-infinite", ["lr=-1e999"], "--param lr: '-1e999' is not a finite number"),
            ("infinite-in-list", ["lr=[1e999]"], "--param lr: '[1e999]' is not a finite number"),
            ("fraction-for-int", ["steps=2.5"], "--param steps: '2.5' is a fractional number, but the parameters cell"),
            ("string-for-int", [#"steps="ten""#], #"--param steps: '"ten"' is a string"#),
            ("int-for-bool", ["flag=1"], "--param flag: '1' is an int, but the parameters cell"),
            ("nil-for-string", ["name=nil"], "--param name: 'nil' is a nil"),
            ("list-for-number", ["lr=[1]"], "--param lr: '[1]' is a list"),
            ("variable", ["steps=steps"], "--param steps: 'steps' is not a literal"),
            ("expression", ["steps=1+1"], "--param steps: '1+1' is not a literal"),
            ("call", ["steps=print(1)"], "--param steps: 'print(1)' is not a literal"),
            ("inf-name", ["lr=inf"], "--param lr: 'inf' is not a literal"),
            ("empty-value", ["steps="], "--param steps: '' is not a literal"),
            ("empty-name", ["=1"], "--param '=1': '' is not a variable name"),
            ("keyword-name", ["for=1"], "--param 'for=1': 'for' is not a variable name"),
            ("no-equals", ["steps"], "--param 'steps' is not name=value"),
        ] as [(String, [String], String)]).map { name, overrides, error in
            .notebook(
                "param/\(name)", parametersNotebook, extra: overrides.flatMap { ["--param", $0] }, error: error,
                store: .unchanged)
        }

    private static let parametersWithoutEffect: [BadInputCase] = [
        .notebook(
            "param/no-parameters-cell", "# %% a\nx = 1\n", extra: ["--param", "x=2"],
            error: "--param x: {dir}/nb.rlhf has no parameters cell", store: .unchanged),
        .notebook(
            "param/resume-after-the-parameters-cell", parametersNotebook,
            extra: ["--resume", "1", "--from-cell", "go", "--param", "steps=4"],
            error: "--param steps cannot take effect: --resume 1 at cell 2 starts after the parameters cell (cell 1)",
            store: .unchanged),
        .notebook(
            "param/cells-skip-the-parameters-cell", "# %% a id=a\nx = 1\n" + parametersNotebook,
            extra: ["--cells", "a,go", "--param", "steps=4"],
            error: "--param steps cannot take effect: --cells a,go does not run the parameters cell (cell 2)",
            store: .unchanged),
    ]
}
