import Foundation
import GRDB
import Testing

@testable import Store

/// Rollbacks and resumes are recorded as typed events beside their commits; stores written before events existed
/// get them from migration v9, which reads what those stores hold (and only there is a note ever parsed).
@Suite struct CommitEventTests {
    /// Run 1: two policy versions, a failed cell, two rollbacks; run 2 resumes it before cell 2 and rolls back too.
    private func populate(_ store: LabStore) throws {
        let run = try store.beginRun(notebook: "nb.rlhf", source: "src", parameters: "{}")
        _ = try store.commit(run: run, commit(1, [("policy", .checkpoint(policy()))]))
        _ = try store.commit(run: run, commit(2, [("policy", .checkpoint(policy(offset: 1)))]))
        try store.rollback(run: run, object: "policy", to: 1)
        _ = try store.commit(run: run, commit(3, [("policy", .checkpoint(policy(offset: 2)))]))
        try store.rollback(run: run, object: "policy", to: 2)
        try store.recordFailure(run: run, cell: cell(4), output: "", error: "boom", durationMs: 1)
        try store.finishRun(run, status: .failed)
        let point = try store.resumePoint(run: run, fromCell: 2)
        let child = try store.beginResumedRun(notebook: "nb.rlhf", source: "src", parameters: "{}", from: point)
        _ = try store.commit(run: child, commit(2, [("policy", .checkpoint(policy(offset: 3)))]))
        try store.rollback(run: child, object: "policy", to: 1)
        try store.finishRun(child, status: .succeeded)
    }

    private static let expected: [Int64: [StoreEvent]] = [
        1: [.rollback(object: "policy", toVersion: 1), .rollback(object: "policy", toVersion: 2)],
        2: [.resume(parentRun: 1, beforeCell: 2), .rollback(object: "policy", toVersion: 1)],
    ]

    @Test func rollbacksAndResumesAreRecordedAsTypedEvents() throws {
        try withTemporaryStore { store, _ in
            try populate(store)
            for (run, events) in Self.expected {
                #expect(try store.events(run: run).map(\.event) == events)
            }
            // The notes a commit's hash covers read as before.
            let notes = try DatabaseQueue(path: store.path).read { db in
                try String.fetchAll(db, sql: "SELECT note FROM commits WHERE note IS NOT NULL ORDER BY id")
            }
            #expect(
                notes == ["rollback to v1", "rollback to v2", "resumed from run 1 before cell 2", "rollback to v1"])
        }
    }

    /// A store from before v9 (no `commit_events`) is backfilled from its notes and runs, with the same events a new
    /// store records, while every commit hash stays as it was.
    @Test func theMigrationBackfillsEventsOfAnOldStore() throws {
        try withTemporaryStore { store, folder in
            try populate(store)
            let recorded = try [1, 2].map { try store.events(run: $0) }
            let chain = try CommitChainTests.chain(store.path)
            let old = folder.appendingPathComponent("old.sqlite").path
            try DatabaseQueue(path: store.path).writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [old])
            }
            try tamper(
                old, "DROP TABLE commit_events; DELETE FROM grdb_migrations WHERE identifier = 'v9-commit-events'")
            let upgraded = try LabStore(path: old)
            #expect(try [1, 2].map { try upgraded.events(run: $0) } == recorded)
            #expect(try CommitChainTests.chain(old) == chain)
            #expect(try upgraded.check() == [])
        }
    }

    /// Once recorded, an event does not depend on its note: a note edited by hand changes the commit's hash (which
    /// `rlhf check` reports) but not the event.
    @Test func anEditedNoteDoesNotChangeTheEvent() throws {
        try withTemporaryStore { store, _ in
            try populate(store)
            try tamper(store.path, "UPDATE commits SET note = 'rollback to v7' WHERE note = 'rollback to v2'")
            #expect(try store.events(run: 1).map(\.event) == Self.expected[1])
            #expect(try store.check().first?.message.contains("hash") == true)
        }
    }

    /// gc purges a run's events with its commits.
    @Test func purgingARunRemovesItsEvents() throws {
        try withTemporaryStore { store, _ in
            try populate(store)
            try store.removeRun(2)
            _ = try store.collectGarbage(dryRun: false)
            let left = try DatabaseQueue(path: store.path).read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM commit_events")
            }
            #expect(left == 2)
            #expect(try store.check() == [])
        }
    }
}
