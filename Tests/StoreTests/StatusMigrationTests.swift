import Foundation
import GRDB
import Testing

@testable import Store

/// Migration v6 rebuilds `runs` (AUTOINCREMENT ids, `cancelled` status) and `cells` (`cancelled` status).
@Suite struct StatusMigrationTests {
    /// A store written before v6 keeps every run, cell and view, and gains the new statuses.
    @Test func aVersion5StoreKeepsItsRunsAndCellsWhenUpgraded() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "v5-artifacts")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (id, notebook, source, parameters, status, started_at, parent_run, resumed_at_cell)
                    VALUES (1, 'a.rlhf', 'x = 1', '{}', 'succeeded', 't1', NULL, NULL),
                           (2, 'a.rlhf', 'x = 1', '{"n":2}', 'failed', 't2', 1, 2);
                    INSERT INTO cells (id, run_id, ordinal, key, title, source, status, output, error, duration_ms)
                    VALUES (1, 1, 1, 'a', 'A', 'x = 1', 'ok', 'out', NULL, 1.5),
                           (2, 2, 2, 'b', 'B', 'y', 'failed', '', 'boom', 2.5);
                    INSERT INTO commits (id, run_id, cell_id, created_at) VALUES (1, 1, 1, 't1');
                    UPDATE cells SET commit_id = 1 WHERE id = 1;
                    """)
        }
        try queue.close()

        let store = try LabStore(path: path)
        #expect(
            try store.query("SELECT id, parameters, status, parent_run, resumed_at_cell FROM runs ORDER BY id").rows
                == [
                    [.integer(1), .text("{}"), .text("succeeded"), .null, .null],
                    [.integer(2), .text("{\"n\":2}"), .text("failed"), .integer(1), .integer(2)],
                ])
        #expect(
            try store.query("SELECT id, status, commit_id, error FROM cells ORDER BY id").rows
                == [
                    [.integer(1), .text("ok"), .integer(1), .null],
                    [.integer(2), .text("failed"), .null, .text("boom")],
                ])
        #expect(
            try store.query("SELECT run, cells, failed_cells FROM v_runs ORDER BY run").rows
                == [[.integer(1), .integer(1), .integer(0)], [.integer(2), .integer(1), .integer(1)]])
        #expect(try store.check() == [])
    }

    /// `cancelled` is a status a run and a cell can be stored with.
    @Test func cancelledIsAStoredStatus() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            try store.recordFailure(
                run: run, cell: CellRecord(ordinal: 1, key: "1", title: "", source: "while true {}"), output: "",
                error: "cancelled", durationMs: 1)
            try store.writer?.write { db in
                try db.execute(sql: "UPDATE cells SET status = 'cancelled' WHERE run_id = ?", arguments: [run])
            }
            try store.finishRun(run, status: .cancelled)
            #expect(
                try store.query("SELECT r.status, c.status FROM runs r JOIN cells c ON c.run_id = r.id").rows
                    == [[.text("cancelled"), .text("cancelled")]])
        }
    }

    /// Purging the newest run must not hand its id to the next run: an old reference to it would silently load
    /// another run's objects.
    @Test func runIDsAreNotReusedAfterThePurge() throws {
        try withTemporaryStore { store, _ in
            _ = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            let second = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            try store.finishRun(second, status: .succeeded)
            try store.removeRun(second)
            let report = try store.collectGarbage(dryRun: false)
            #expect(report.purgedRuns == [second])
            let third = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            #expect(third == second + 1)
        }
    }
}
