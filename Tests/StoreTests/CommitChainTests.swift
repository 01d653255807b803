import Foundation
import GRDB
import Testing

@testable import Store

/// Each commit's hash covers what it holds and the previous commit's hash; `check` re-verifies the chain and names
/// the first commit that no longer matches.
@Suite struct CommitChainTests {
    /// Run 1: cell 1 writes a checkpoint, a dataset, metrics, bindings and an artifact; cell 2 a new checkpoint
    /// version, a relabelled row and more points; then a rollback commit. Commits 1, 2, 3.
    static func populate(_ store: LabStore) throws {
        let run = try store.beginRun(notebook: "nb.rlhf", source: "src", parameters: #"{"lr":0.1}"#)
        _ = try store.commit(
            run: run,
            CellCommit(
                cell: cell(1), output: "output of 1", durationMs: 1,
                objects: [
                    ("policy", .checkpoint(policy())),
                    (
                        "prefs",
                        .dataset(
                            kind: "preferences", config: "{}",
                            rows: [row(1), row(2), row(3)])
                    ),
                ],
                metrics: [
                    MetricPoint(name: "loss", step: 1, value: 0.5), MetricPoint(name: "loss", step: 2, value: -0.0),
                ],
                bindings: [
                    ("lr", .value(json: "0.1")), ("policy", .object(name: "policy")), ("prefs", .object(name: "prefs")),
                ],
                artifacts: [
                    Artifact(name: "loss.svg", mediaType: "image/svg+xml", data: Data("<svg/>".utf8), text: "chart")
                ]))
        _ = try store.commit(
            run: run,
            CellCommit(
                cell: cell(2), output: "output of 2", durationMs: 2,
                objects: [
                    ("policy", .checkpoint(policy(offset: 1))),
                    ("prefs", .dataset(kind: "preferences", config: "{}", rows: [row(1), row(2, label: 1), row(3)])),
                ],
                metrics: [MetricPoint(name: "loss", step: 3, value: .nan)],
                bindings: [("lr", .value(json: "0.1")), ("policy", .object(name: "policy"))]))
        try store.finishRun(run, status: .succeeded)
        _ = try store.rollback(run: run, object: "policy", to: 1)
    }

    static func chain(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in try String.fetchAll(db, sql: "SELECT hash FROM commits ORDER BY id") }
    }

    @Test func aSoundStoreVerifiesItsWholeChain() throws {
        try withTemporaryStore { store, _ in
            try Self.populate(store)
            let report = try store.verify()
            #expect(report.problems == [])
            #expect(report.commits == 3 && report.runs == 1)
            #expect(report.head == (try Self.chain(store.path)).last)
        }
    }

    /// The same history written twice gives the same chain: no timestamps, durations or Dictionary order reach it.
    @Test func theSameHistoryGivesTheSameChain() throws {
        let a = try withTemporaryStore { store, _ in
            try Self.populate(store)
            return try Self.chain(store.path)
        }
        Thread.sleep(forTimeInterval: 0.01)
        let b = try withTemporaryStore { store, _ in
            try Self.populate(store)
            return try Self.chain(store.path)
        }
        #expect(a.count == 3 && a == b)
        #expect(Set(a).count == 3)
        // Pinned: a change to what is hashed, or how, would silently re-hash every existing store's chain.
        #expect(a.last == "5fb7df5f926541286188d812cd9733d249bac7502d5da4b307cbaf6ef168aa43")
    }

    /// One value changed (or one byte flipped) in each hashed table: check names the commit that holds it, first.
    static let tampering: [(table: String, sql: String, commit: String, part: String)] = [
        ("runs.parameters", #"UPDATE runs SET parameters = '{"lr":0.2}'"#, "commit 1 (run 1, cell 1 'cell1')", "run"),
        ("runs.source", "UPDATE runs SET source = 'srd'", "commit 1 (run 1, cell 1 'cell1')", "run"),
        (
            "cells.output", "UPDATE cells SET output = 'Output of 2' WHERE ordinal = 2",
            "commit 2 (run 1, cell 2 'cell2')",
            "cell"
        ),
        (
            "cells.source", "UPDATE cells SET source = 'x = 9' WHERE ordinal = 1", "commit 1 (run 1, cell 1 'cell1')",
            "cell"
        ),
        (
            "commits.note", "UPDATE commits SET note = 'rollback to v2' WHERE id = 3",
            "commit 3 (run 1, rollback to v2)", "cell"
        ),
        (
            "bindings (value)",
            "UPDATE commit_bindings SET blob_hash = (SELECT blob_hash FROM version_tensors LIMIT 1)"
                + " WHERE name = 'lr' AND commit_id = 2", "commit 2 (run 1, cell 2 'cell2')", "bindings"
        ),
        (
            "bindings (pin)",
            "UPDATE commit_bindings SET version_id = (SELECT min(id) FROM versions) WHERE commit_id = 2"
                + " AND name = 'policy'", "commit 2 (run 1, cell 2 'cell2')", "bindings"
        ),
        (
            "versions.content_hash", "UPDATE versions SET content_hash = 'ab' || substr(content_hash, 3) WHERE id = 1",
            "commit 1 (run 1, cell 1 'cell1')", "versions"
        ),
        (
            "versions.config", "UPDATE versions SET config = '{\"hidden\":5}' WHERE commit_id = 3",
            "commit 3 (run 1, rollback to v1)", "versions"
        ),
        (
            "version_tensors.shape",
            "UPDATE version_tensors SET shape = '[2,6]' WHERE name = 'fc1.weight'"
                + " AND version_id = 1", "commit 1 (run 1, cell 1 'cell1')", "versions"
        ),
        (
            "feedback.chosen", "UPDATE feedback SET chosen = x'00' || substr(chosen, 2) WHERE uid = 3",
            "commit 1 (run 1, cell 1 'cell1')", "feedback"
        ),
        (
            "feedback.removed_in", "UPDATE feedback SET removed_in = NULL WHERE removed_in IS NOT NULL",
            "commit 2 (run 1, cell 2 'cell2')", "feedback"
        ),
        (
            "metric_points.value", "UPDATE metric_points SET value = 0.25 WHERE step = 1",
            "commit 1 (run 1, cell 1 'cell1')", "metrics"
        ),
        (
            "metric_points (NaN)", "UPDATE metric_points SET value = 1 WHERE step = 3",
            "commit 2 (run 1, cell 2 'cell2')",
            "metrics"
        ),
        ("artifacts.text", "UPDATE artifacts SET text = 'chart!'", "commit 1 (run 1, cell 1 'cell1')", "artifacts"),
        (
            "objects.name", "UPDATE objects SET name = 'policz' WHERE name = 'policy'",
            "commit 1 (run 1, cell 1 'cell1')",
            "versions"
        ),
    ]

    @Test(arguments: tampering.indices)
    func aChangedValueNamesItsCommit(_ index: Int) throws {
        let change = Self.tampering[index]
        try withTemporaryStore { store, _ in
            try Self.populate(store)
            try tamper(store.path, change.sql)
            let first = try #require(try store.check().first, "\(change.table): check found nothing")
            #expect(first.location == change.commit, "\(change.table)")
            #expect(first.message.contains(change.part), "\(change.table): \(first.message)")
        }
    }

    /// A byte flipped in the file itself, inside the text of a run or a cell (SQLite's integrity check cannot see it:
    /// the pages are well formed), is found by the chain.
    @Test(arguments: [("src", "commit 1 (run 1, cell 1 'cell1')"), ("output of 2", "commit 2 (run 1, cell 2 'cell2')")])
    func aByteFlippedInTheFileIsFound(_ text: String, commit: String) throws {
        try withTemporaryStore { store, _ in
            try Self.populate(store)
            try tamper(store.path, "PRAGMA wal_checkpoint(TRUNCATE)")
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: store.path)))
            let needle = [UInt8](text.utf8)
            let at = try #require(
                (0...(bytes.count - needle.count)).first { Array(bytes[$0..<$0 + needle.count]) == needle })
            bytes[at] ^= 0x20
            try Data(bytes).write(to: URL(fileURLWithPath: store.path))
            let reopened = try LabStore.openReadOnly(path: store.path)
            let first = try #require(try reopened.check().first)
            #expect(first.location == commit, "\(first)")
        }
    }

    /// Rewriting a hash, or removing a commit, breaks the links after it.
    @Test(arguments: [
        ("UPDATE commits SET hash = 'ab' || substr(hash, 3) WHERE id = 2", "commit 2 (run 1, cell 2 'cell2')"),
        ("UPDATE commits SET parts = NULL WHERE id = 1", "commit 1 (run 1, cell 1 'cell1')"),
        (
            """
            DELETE FROM commit_bindings WHERE commit_id = 2; DELETE FROM metric_points WHERE commit_id = 2;
            UPDATE feedback SET removed_in = NULL WHERE removed_in IN (SELECT id FROM versions WHERE commit_id = 2);
            DELETE FROM feedback WHERE added_in IN (SELECT id FROM versions WHERE commit_id = 2);
            DELETE FROM version_tensors WHERE version_id IN (SELECT id FROM versions WHERE commit_id = 2);
            DELETE FROM versions WHERE commit_id = 2; UPDATE cells SET commit_id = NULL WHERE commit_id = 2;
            DELETE FROM commits WHERE id = 2
            """, "commit 3 (run 1, rollback to v1)"
        ),
    ])
    func aBrokenLinkIsNamed(_ sql: String, commit: String) throws {
        try withTemporaryStore { store, _ in
            try Self.populate(store)
            try tamper(store.path, sql)
            let first = try #require(try store.check().first)
            #expect(first.location == commit, "\(first)")
        }
    }

    /// v8 hashes the commits of an existing store exactly as they would have been hashed when committed.
    @Test func theMigrationHashesExistingCommitsAsCommittingDoes() throws {
        try withTemporaryStore { store, folder in
            try Self.populate(store)
            let expected = try Self.chain(store.path)
            let old = folder.appendingPathComponent("old.sqlite").path
            let queue = try DatabaseQueue(path: store.path)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [old])
            }
            try queue.close()
            try tamper(
                old,
                """
                ALTER TABLE commits DROP COLUMN parts; ALTER TABLE commits DROP COLUMN hash;
                DELETE FROM grdb_migrations WHERE identifier = 'v8-commit-chain'
                """)
            let upgraded = try LabStore(path: old)
            #expect(try Self.chain(old) == expected)
            #expect(try upgraded.check() == [])
        }
    }

    /// gc re-links the commits after the purged run's, and the chain still verifies.
    @Test func garbageCollectionRelinksTheChain() throws {
        try withTemporaryStore { store, _ in
            let first = try store.beginRun(notebook: nil, source: "a", parameters: "{}")
            _ = try store.commit(run: first, commit(1, [("policy", .checkpoint(policy()))]))
            try store.finishRun(first, status: .succeeded)
            try Self.populate(store)
            let before = try Self.chain(store.path)
            try store.removeRun(first)
            _ = try store.collectGarbage(dryRun: false)
            let after = try Self.chain(store.path)
            #expect(after.count == before.count - 1)
            #expect(try store.check() == [])
            // Every hash after the purged commit changes (each covers the one before).
            #expect(Set(after).isDisjoint(with: before))
        }
    }
}

/// Runs SQL on a store behind the store's back (foreign keys off, as a hand edit would).
func tamper(_ path: String, _ sql: String) throws {
    var config = Configuration()
    config.foreignKeysEnabled = false
    let queue = try DatabaseQueue(path: path, configuration: config)
    try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
    try queue.close()
}
