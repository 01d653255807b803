import Foundation
import GRDB
import Testing

@testable import Store

/// Bindings are stored by content: a value lives once in `blobs`, and each commit's binding row points at it.
@Suite struct BindingValuesTests {
    static let bigValue = "[" + (0..<20_000).map(String.init).joined(separator: ",") + "]"

    /// A large variable left unchanged by ten more cells is stored once; the eleven commits add one small row each.
    @Test func anUnchangedValueCostsNothingAtTheNextCommit() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            for ordinal in 1...11 {
                _ = try store.commit(
                    run: run,
                    commit(
                        ordinal,
                        bindings: [
                            ("xs", .value(json: Self.bigValue)), ("y\(ordinal)", .value(json: "\(ordinal)")),
                        ]))
            }
            let queue = try DatabaseQueue(path: store.path)
            defer { try? queue.close() }
            try queue.read { db in
                let stored = try Row.fetchOne(
                    db,
                    sql: "SELECT count(*), sum(size) FROM blobs WHERE hash IN (SELECT blob_hash FROM commit_bindings)")
                #expect(stored.map { [$0[0] as Int, $0[1] as Int] } == [12, Self.bigValue.utf8.count + 9 + 4])
                #expect(
                    try Int.fetchOne(
                        db, sql: "SELECT count(*) FROM bindings WHERE name = 'xs' AND value = ?",
                        arguments: [Self.bigValue])
                        == 11)
            }
            for commitID in 1...11 {
                let xs = try store.bindings(commit: Int64(commitID)).first { $0.name == "xs" }
                #expect(xs?.value == .value(json: Self.bigValue))
            }
            #expect(try store.check() == [])
        }
    }

    /// A store written before v7 (a `bindings` table holding each value per commit) keeps every binding: the view
    /// `bindings` shows the same rows, equal values share one blob, and a resume point reads them.
    @Test func aVersion6StoreKeepsItsBindingsWhenUpgraded() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "v6-statuses")
        let rows: [[DatabaseValue]] = [
            [
                1.databaseValue, "$rng".databaseValue, "value".databaseValue,
                #"{"$type":"RNG","state":["1"]}"#.databaseValue, .null,
            ],
            [1.databaseValue, "xs".databaseValue, "value".databaseValue, Self.bigValue.databaseValue, .null],
            [2.databaseValue, "policy".databaseValue, "object".databaseValue, "policy".databaseValue, 1.databaseValue],
            [2.databaseValue, "xs".databaseValue, "value".databaseValue, Self.bigValue.databaseValue, .null],
        ]
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (id, notebook, source, parameters, status, started_at) VALUES
                        (1, 'a.rlhf', 'x', '{}', 'failed', 't1');
                    INSERT INTO cells (id, run_id, ordinal, key, title, source, status, output, duration_ms) VALUES
                        (1, 1, 1, 'a', 'a', 'x', 'ok', '', 1), (2, 1, 2, 'b', 'b', 'y', 'ok', '', 1),
                        (3, 1, 3, 'c', 'c', 'z', 'failed', '', 1);
                    INSERT INTO commits (id, run_id, cell_id, created_at) VALUES (1, 1, 1, 't1'), (2, 1, 2, 't2');
                    UPDATE cells SET commit_id = id WHERE id < 3;
                    INSERT INTO objects (id, run_id, name, kind) VALUES (1, 1, 'policy', 'checkpoint');
                    INSERT INTO versions (id, object_id, version, commit_id, kind, content_hash, config, bytes_written)
                    VALUES (1, 1, 1, 2, 'policy', 'h', '{}', 0);
                    """)
            for row in rows {
                try db.execute(sql: "INSERT INTO bindings VALUES (?, ?, ?, ?, ?)", arguments: StatementArguments(row))
            }
        }
        try queue.close()

        let store = try LabStore(path: path)
        let reread = try DatabaseQueue(path: path)
        defer { try? reread.close() }
        try reread.read { db in
            let view = try Row.fetchAll(
                db, sql: "SELECT commit_id, name, kind, value, version_id FROM bindings ORDER BY commit_id, name")
            #expect(view.map { Array($0.databaseValues) } == rows)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM blobs") == 2)
        }
        let point = try store.resumePoint(run: 1, fromCell: nil)
        #expect(point.cell == 3)
        #expect(point.bindings.map(\.name) == ["policy", "xs"])
        #expect(point.bindings.last?.value == .value(json: Self.bigValue))
    }

    /// A binding whose value went missing is found by `check`, naming its commit, before a resume trips on it.
    @Test func aBrokenBindingIsFoundByCheck() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(run: run, commit(1, bindings: [("lr", .value(json: "0.5"))]))
            _ = try store.commit(
                run: run,
                commit(
                    2, [("policy", .checkpoint(policy()))],
                    bindings: [("policy", .object(name: "policy"))]))
            try tamper(store.path, "UPDATE blobs SET data = CAST('{' AS BLOB) WHERE size = 3")
            try tamper(store.path, "UPDATE commit_bindings SET version_id = 999 WHERE name = 'policy'")
            let problems = try store.check()
            #expect(
                problems.contains(
                    IntegrityProblem(
                        location: "commit 1 (run 1, cell 1 'cell1') · binding 'lr'",
                        message: "its value is not valid JSON")))
            #expect(
                problems.contains(
                    IntegrityProblem(
                        location: "commit 2 (run 1, cell 2 'cell2') · binding 'policy'",
                        message: "it pins no existing version of 'policy'")))
        }
    }
}
