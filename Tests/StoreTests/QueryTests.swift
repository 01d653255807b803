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
                    1, [("policy", .checkpoint(policy())), ("prefs", .dataset(kind: "p", config: "{}", rows: [row(1)]))],
                    metrics: [MetricPoint(name: "loss", step: 1, value: 0.5), MetricPoint(name: "loss", step: 2, value: 0.25)]))
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
            #expect(try store.query("SELECT run, object, version FROM v_checkpoints").rows
                == [[.integer(run), .text("policy"), .integer(1)]])
            #expect(try store.query("SELECT count(*) FROM v_feedback").rows == [[.integer(1)]])
            #expect(try store.query("SELECT run, metric_points FROM v_runs").rows == [[.integer(run), .integer(2)]])
            #expect(try store.query("SELECT count(*) FROM v_metrics").rows == [[.integer(2)]])
            let columns = try store.query("PRAGMA table_info(runs)").rows.compactMap { cells -> String? in
                if case .text(let name) = cells[1] { return name }
                return nil
            }
            #expect(columns == ["id", "notebook", "source", "parameters", "status", "started_at", "finished_at", "deleted_at", "parent_run", "resumed_at_cell"])
            #expect(!(try store.query("PRAGMA user_version").rows.isEmpty))
        }
    }

    @Test(arguments: [
        "DELETE FROM runs",
        "DROP TABLE runs",
        "INSERT INTO runs (source, parameters, status, started_at) VALUES ('', '{}', 'running', 'now')",
        "UPDATE runs SET status = 'failed'",
        "PRAGMA journal_mode=DELETE",
        "PRAGMA journal_mode(DELETE)",
        "pragma main.user_version = 3",
        "PRAGMA wal_checkpoint",
        "ATTACH 'x.sqlite' AS y",
        "DETACH y",
        "BEGIN",
        "COMMIT",
        "VACUUM",
        "CREATE TABLE t (x)",
        "ALTER TABLE runs ADD COLUMN x",
        "REPLACE INTO blobs VALUES ('h', 0, X'')",
        "WITH gone AS (SELECT 1) DELETE FROM metric_points",
        "/* sneaky */ delete from metric_points",
        "SELECT 1; DELETE FROM runs",
    ])
    func writesAreRefusedAndChangeNothing(sql: String) throws {
        try populated { store, _ in
            let before = try tableCounts(store)
            let files = try fileBytes(store.path)
            let error = storeError { _ = try store.query(sql) }
            guard case .readOnlyQuery(let quoted) = error else {
                Issue.record("expected readOnlyQuery, got \(String(describing: error))")
                return
            }
            #expect(sql.contains(quoted))
            #expect(try tableCounts(store) == before)
            #expect(try fileBytes(store.path) == files)
            #expect(!FileManager.default.fileExists(atPath: "x.sqlite"))
        }
    }

    @Test(arguments: ["SELEC 1", "SELECT * FROM no_such_table", "SELECT (1"])
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
            #expect(storeError { _ = try readOnly.beginRun(notebook: nil, source: "", parameters: "{}") }
                == .readOnlyStore(store.path))
        }
    }

    /// The main database file and its write-ahead log, byte for byte.
    private func fileBytes(_ path: String) throws -> [Data?] {
        [path, path + "-wal"].map { FileManager.default.contents(atPath: $0) }
    }
}
