import Foundation
import Testing

@testable import Store

@Suite struct QueryTests {
    /// A store with one run holding a checkpoint, a dataset and metrics.
    private func populated(_ body: (LabStore, Int64) throws -> Void) throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: "nb.rlhf", source: "src", parameters: "{}")
            _ = try store.commit(
                run: run,
                commit(
                    1,
                    [("policy", .checkpoint(policy())), ("prefs", .dataset(kind: "p", config: "{}", rows: [row(1)]))],
                    metrics: [
                        MetricPoint(name: "loss", step: 1, value: 0.5), MetricPoint(name: "loss", step: 2, value: 0.25),
                    ]))
            try body(store, run)
        }
    }

    @Test func selectReturnsColumnsAndTypedCells() throws {
        try populated { store, run in
            let result = try store.query(
                "SELECT run_id, name, step, value, NULL AS empty, X'0102' AS raw FROM metrics ORDER BY step")
            #expect(result.columns == ["run_id", "name", "step", "value", "empty", "raw"])
            #expect(
                result.rows == [
                    [.integer(run), .text("loss"), .integer(1), .real(0.5), .null, .blob(2)],
                    [.integer(run), .text("loss"), .integer(2), .real(0.25), .null, .blob(2)],
                ])
        }
    }

    @Test func severalStatementsReturnTheLast() throws {
        try populated { store, _ in
            let result = try store.query("SELECT 1; -- first\n SELECT count(*) AS n FROM blobs;")
            #expect(result.columns == ["n"])
            #expect(result.rows == [[.integer(Int64(policy().tensors.count))]])
        }
    }

    @Test func viewsAndReadingPragmasWork() throws {
        try populated { store, run in
            #expect(
                try store.query("SELECT run, object, version FROM v_checkpoints").rows
                    == [[.integer(run), .text("policy"), .integer(1)]])
            #expect(try store.query("SELECT count(*) FROM v_feedback").rows == [[.integer(1)]])
            #expect(try store.query("SELECT run, metric_points FROM v_runs").rows == [[.integer(run), .integer(2)]])
            #expect(try store.query("SELECT count(*) FROM v_metrics").rows == [[.integer(2)]])
            let columns = try store.query("PRAGMA table_info(runs)").rows.compactMap { cells -> String? in
                if case .text(let name) = cells[1] { return name }
                return nil
            }
            #expect(
                columns == [
                    "id", "notebook", "source", "parameters", "status", "started_at", "finished_at", "deleted_at",
                    "parent_run", "resumed_at_cell", "name", "note", "replay_of",
                ])
            #expect(!(try store.query("PRAGMA user_version").rows.isEmpty))
        }
    }

    /// Every spelling of a write, a pragma, an attachment, a transaction or a schema change, each with what the
    /// refusal must name. The guard is SQLite's authorizer, so quoting, case, comments and CTEs change nothing.
    static let refusedStatements: [(sql: String, refused: String)] = [
        ("DELETE FROM runs", "DELETE from 'runs'"),
        ("delete from runs", "DELETE from 'runs'"),
        ("DeLeTe FrOm \"runs\"", "DELETE from 'runs'"),
        ("DELETE FROM [runs]", "DELETE from 'runs'"),
        ("DELETE FROM `runs`", "DELETE from 'runs'"),
        ("DELETE FROM main.runs", "DELETE from 'runs'"),
        ("/* sneaky */ delete from metric_points", "DELETE from 'metric_points'"),
        ("-- a comment\nDELETE FROM metric_points", "DELETE from 'metric_points'"),
        ("WITH gone AS (SELECT 1) DELETE FROM metric_points", "DELETE from 'metric_points'"),
        (
            "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3) DELETE FROM blobs",
            "DELETE from 'blobs'"
        ),
        ("EXPLAIN DELETE FROM runs", "DELETE from 'runs'"),
        ("EXPLAIN QUERY PLAN DELETE FROM runs", "DELETE from 'runs'"),
        ("DROP TABLE runs", "a change to the schema"),
        ("DROP VIEW v_runs", "a change to the schema"),
        (
            "INSERT INTO runs (source, parameters, status, started_at) VALUES ('', '{}', 'running', 'now')",
            "INSERT into 'runs'"
        ),
        ("INSERT OR IGNORE INTO metric_names (name) VALUES ('x')", "INSERT into 'metric_names'"),
        ("REPLACE INTO blobs VALUES ('h', 0, X'')", "INSERT into 'blobs'"),
        ("INSERT INTO metric_names (name) VALUES ('x') ON CONFLICT DO NOTHING", "INSERT into 'metric_names'"),
        ("UPDATE runs SET status = 'failed'", "UPDATE of 'runs'"),
        ("update\n\truns set status='failed'", "UPDATE of 'runs'"),
        ("UPDATE OR REPLACE runs SET status = 'failed' WHERE 0", "UPDATE of 'runs'"),
        ("PRAGMA journal_mode=DELETE", "PRAGMA journal_mode = DELETE"),
        ("PRAGMA journal_mode(DELETE)", "PRAGMA journal_mode = DELETE"),
        ("pragma main.user_version = 3", "PRAGMA user_version = 3"),
        ("PRAGMA \"query_only\"(0)", "PRAGMA query_only = 0"),
        ("PRAGMA 'query_only' = 0", "PRAGMA query_only = 0"),
        ("PRAGMA [query_only] = false", "PRAGMA query_only = false"),
        ("PrAgMa QuErY_oNlY = 0", "PRAGMA QuErY_oNlY = 0"),
        ("/**/PRAGMA/**/query_only/**/=/**/0", "PRAGMA query_only = 0"),
        ("PRAGMA query_only", "PRAGMA query_only"),
        ("PRAGMA wal_checkpoint", "PRAGMA wal_checkpoint"),
        ("PRAGMA wal_checkpoint(TRUNCATE)", "PRAGMA wal_checkpoint = TRUNCATE"),
        ("PRAGMA writable_schema = 1", "PRAGMA writable_schema = 1"),
        ("PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys = OFF"),
        ("PRAGMA user_version = 99", "PRAGMA user_version = 99"),
        ("PRAGMA optimize", "PRAGMA optimize"),
        ("PRAGMA incremental_vacuum", "PRAGMA incremental_vacuum"),
        ("PRAGMA temp_store = MEMORY", "PRAGMA temp_store = MEMORY"),
        ("ATTACH 'x.sqlite' AS y", "ATTACH 'x.sqlite'"),
        ("attach database ':memory:' as m", "ATTACH ':memory:'"),
        ("DETACH y", "DETACH 'y'"),
        ("VACUUM INTO 'x.sqlite'", "a statement that writes"),
        ("BEGIN", "BEGIN"),
        ("begin immediate transaction", "BEGIN"),
        ("COMMIT", "COMMIT"),
        ("END", "COMMIT"),
        ("ROLLBACK", "ROLLBACK"),
        ("SAVEPOINT a", "SAVEPOINT (BEGIN a)"),
        ("RELEASE a", "SAVEPOINT (RELEASE a)"),
        ("ROLLBACK TO a", "SAVEPOINT (ROLLBACK a)"),
        ("CREATE TABLE t (x)", "a change to the schema"),
        ("CREATE TEMP TABLE t (x)", "a change to the schema"),
        ("create temporary table t as select * from runs", "a change to the schema"),
        ("CREATE TEMP VIEW w AS SELECT 1", "a change to the schema"),
        ("CREATE VIEW w AS SELECT 1", "a change to the schema"),
        ("CREATE INDEX i ON runs (status)", "a change to the schema"),
        ("CREATE TEMP TRIGGER g AFTER INSERT ON runs BEGIN SELECT 1; END", "CREATE TEMP TRIGGER 'g'"),
        ("ALTER TABLE runs ADD COLUMN x", "ALTER TABLE 'runs'"),
        ("ALTER TABLE runs RENAME TO r", "ALTER TABLE 'runs'"),
        ("INSERT INTO sqlite_master VALUES ('table', 't', 't', 0, '')", "a change to the schema"),
        ("SELECT 1; DELETE FROM runs", "DELETE from 'runs'"),
        ("SELECT 1;DELETE FROM runs;SELECT 2", "DELETE from 'runs'"),
        ("SELECT * FROM runs; PRAGMA query_only = 0", "PRAGMA query_only = 0"),
        ("CREATE VIRTUAL TABLE f USING fts5(x)", "a change to the schema"),
        ("DROP TRIGGER IF EXISTS nosuch; DELETE FROM runs", "DELETE from 'runs'"),
        ("SELECT fts3_tokenizer('simple')", "the function fts3_tokenizer()"),
        ("SELECT FTS3_TOKENIZER('simple')", "the function fts3_tokenizer()"),
        ("SELECT load_extension('x')", "the function load_extension()"),
        ("SELECT randomblob(1000000000)", "the function randomblob()"),
        ("SELECT length(zeroblob(1000000000))", "the function zeroblob()"),
        ("SELECT changes()", "the function changes()"),
        ("SELECT last_insert_rowid()", "the function last_insert_rowid()"),
        ("SELECT total_changes()", "the function total_changes()"),
        ("SELECT * FROM temp.sqlite_master", "reading 'temp'.'sqlite_temp_master'"),
        ("SELECT * FROM sqlite_temp_master", "reading 'temp'.'sqlite_temp_master'"),
        ("SELECT * FROM dbstat", "reading 'dbstat'"),
        ("SELECT * FROM sqlite_stmt", "reading 'sqlite_stmt'"),
        ("SELECT * FROM pragma_function_list", "PRAGMA function_list"),
        ("VACUUM", "a statement that writes"),
        ("REINDEX", "REINDEX"),
        ("REINDEX cells", "REINDEX"),
        ("ANALYZE", "a change to the schema"),
        ("ANALYZE runs", "a change to the schema"),
        ("DROP TABLE IF EXISTS nosuch; DELETE FROM runs", "a statement that writes"),
        (";;; ; DELETE FROM runs", "DELETE from 'runs'"),
        ("SELECT 1; -- c\n ; /* c */ DELETE FROM runs", "DELETE from 'runs'"),
    ]

    @Test(arguments: refusedStatements)
    func writesAreRefusedAndChangeNothing(sql: String, refused: String) throws {
        try populated { store, _ in
            let before = try tableCounts(store)
            let files = try fileBytes(store.path)
            do {
                _ = try store.query(sql)
                Issue.record("\(sql) was not refused")
            } catch QueryError.refused(let what, let statement) {
                #expect(what.hasPrefix(refused), "\(sql)")
                #expect(
                    sql.contains(statement.trimmingCharacters(in: .whitespacesAndNewlines))
                        || statement.contains(refused))
            } catch {
                Issue.record("\(sql): expected a refusal, got \(error)")
            }
            #expect(try tableCounts(store) == before)
            #expect(try fileBytes(store.path) == files)
            #expect(!FileManager.default.fileExists(atPath: "x.sqlite"))
        }
    }

    /// Reads the allow-list lets through: views, recursive CTEs, pure functions, JSON, reporting pragmas.
    @Test(
        arguments: [
            ("SELECT count(*) FROM sqlite_schema WHERE name = 'runs'", [[QueryCell.integer(1)]]),
            ("SELECT count(*) FROM sqlite_master WHERE name = 'runs'", [[.integer(1)]]),
            (
                "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 4) SELECT sum(n) FROM c",
                [[.integer(10)]]
            ),
            (
                "SELECT upper('a') || lower('B'), abs(-2), round(2.5), printf('%03d', 7)",
                [[.text("Ab"), .integer(2), .real(3), .text("007")]]
            ),
            ("SELECT json_extract('{\"a\": [1, 2]}', '$.a[1]'), '{\"b\": 3}' ->> '$.b'", [[.integer(2), .integer(3)]]),
            ("SELECT count(*) FROM json_each('[1, 2, 3]')", [[.integer(3)]]),
            ("SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'status'", [[.integer(1)]]),
            (
                "SELECT row_number() OVER (ORDER BY step), step FROM metrics ORDER BY step LIMIT 1",
                [[.integer(1), .integer(1)]]
            ),
            ("SELECT typeof(random()), date('2024-01-02', '+1 day')", [[.text("integer"), .text("2024-01-03")]]),
            ("EXPLAIN QUERY PLAN SELECT * FROM runs WHERE 0", nil),
            ("PRAGMA index_list(runs)", nil),
            ("PRAGMA main.table_info(\"runs\")", nil),
            ("PRAGMA foreign_keys", [[.integer(1)]]),
            ("PRAGMA journal_mode", [[.text("wal")]]),
            ("pragma MAIN.Journal_Mode", [[.text("wal")]]),
        ] as [(String, [[QueryCell]]?)])
    func pureReadsRun(sql: String, expected: [[QueryCell]]?) throws {
        try populated { store, _ in
            let result = try store.query(sql)
            if let expected { #expect(result.rows == expected, "\(sql)") }
        }
    }

    /// Any result shape reads without a crash: repeated and empty names, NULL, blobs, infinities, the integer
    /// extremes, text with NUL and bytes that are not UTF-8 (repaired, not dropped).
    @Test func everyShapeOfResultReads() throws {
        try populated { store, _ in
            let result = try store.query(
                """
                SELECT 1 AS id, 2 AS id, 3 AS "", NULL, X'00FF', 1e999, -1e999, 9223372036854775807,
                       -9223372036854775808, CAST(X'41FF0042' AS TEXT), 0.0 / 0.0
                """)
            #expect(
                result.columns == [
                    "id", "id", "", "NULL", "X'00FF'", "1e999", "-1e999", "9223372036854775807",
                    "-9223372036854775808", "CAST(X'41FF0042' AS TEXT)", "0.0 / 0.0",
                ])
            #expect(
                result.rows == [
                    [
                        .integer(1), .integer(2), .integer(3), .null, .blob(2), .real(.infinity), .real(-.infinity),
                        .integer(.max), .integer(.min), .text("A\u{FFFD}\u{0}B"), .null,
                    ]
                ])
        }
    }

    /// A query that never ends (an endless recursive CTE) stops at its time limit; so does one that is merely slow.
    @Test(arguments: [
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c",
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION SELECT n + 1 FROM c) SELECT max(n) FROM c",
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT n FROM c",
        "SELECT count(*) FROM metrics a, metrics b, metrics c, metrics d, metrics e, metrics f, "
            + "(WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 100000) SELECT n FROM c)",
    ])
    func endlessQueriesStopAtTheirTimeLimit(sql: String) throws {
        try populated { store, _ in
            let started = Date()
            var rows = 0
            do {
                try store.query(sql, timeout: 0.3, columns: { _ in }, row: { _ in rows += 1 })
                Issue.record("\(sql) finished")
            } catch QueryError.timedOut(let seconds) {
                #expect(seconds == 0.3)
            }
            #expect(Date().timeIntervalSince(started) < 5)
            #expect("\(QueryError.timedOut(seconds: 30))" == "query stopped after 30 s (--timeout)")
        }
    }

    /// Rows arrive one at a time as SQLite reads them: a million-row result is never held whole.
    @Test func rowsStreamOneAtATime() throws {
        try populated { store, _ in
            var columns: [String] = []
            var count = 0
            var last: [QueryCell] = []
            try store.query(
                "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000) SELECT n, 'x' FROM c",
                columns: { columns = $0 },
                row: { row in
                    count += 1
                    last = row
                })
            #expect(columns == ["n", "'x'"])
            #expect(count == 1_000_000 && last == [.integer(1_000_000), .text("x")])
        }
    }

    /// Text SQLite cannot compile, including an UPDATE of the schema table, which SQLite itself refuses.
    @Test(arguments: [
        "SELEC 1", "SELECT * FROM no_such_table", "SELECT (1", "UPDATE sqlite_master SET sql = 'x'",
        "SELECT * FROM runs WHERE", "SELECT no_such_function(1)", "PRAGMA table_info(runs",
        "SELECT 1;\u{0}DELETE FROM runs",
    ])
    func syntaxErrorsAreSQLErrors(sql: String) throws {
        try populated { store, _ in
            guard case .sql(let message) = storeError({ _ = try store.query(sql) }) else {
                Issue.record("expected .sql")
                return
            }
            #expect(!message.isEmpty)
        }
    }

    @Test func queryWorksOnAReadOnlyStore() throws {
        try populated { store, _ in
            let readOnly = try LabStore.openReadOnly(path: store.path)
            #expect(try readOnly.query("SELECT count(*) FROM runs").rows == [[.integer(1)]])
            #expect(
                storeError { _ = try readOnly.beginRun(notebook: nil, source: "", parameters: "{}") }
                    == .readOnlyStore(store.path))
        }
    }

    /// The main database file and its write-ahead log, byte for byte.
    private func fileBytes(_ path: String) throws -> [Data?] {
        [path, path + "-wal"].map { FileManager.default.contents(atPath: $0) }
    }
}
