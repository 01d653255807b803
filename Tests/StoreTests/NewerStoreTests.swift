import Foundation
import GRDB
import Testing

@testable import Store

/// A store a newer rlhf has written (it applied migrations this rlhf does not know) is neither read nor written:
/// every writing method refuses it with one error and changes nothing.
@Suite struct NewerStoreTests {
    /// The runs each write works on: a finished run with two versions of `policy`, and a run still open.
    struct Runs {
        var finished: Int64
        var open: Int64
    }

    /// Every way the store is written, each on a store that a newer rlhf upgraded after this process opened it
    /// (it also holds a deleted run, for gc).
    static let writes: [(name: String, write: @Sendable (LabStore, Runs) throws -> Void)] = [
        ("beginRun", { store, _ in _ = try store.beginRun(notebook: nil, source: "x", parameters: "{}") }),
        ("commit", { store, runs in _ = try store.commit(run: runs.open, commit(1)) }),
        (
            "recordFailure",
            { store, runs in
                try store.recordFailure(run: runs.open, cell: cell(1), output: "", error: "e", durationMs: 1)
            }
        ),
        ("finishRun", { store, runs in try store.finishRun(runs.open, status: .succeeded) }),
        ("removeRun", { store, runs in try store.removeRun(runs.finished) }),
        ("collectGarbage", { store, _ in _ = try store.collectGarbage(dryRun: false) }),
        ("collectGarbage dry run", { store, _ in _ = try store.collectGarbage(dryRun: true) }),
        ("collectGarbage force", { store, _ in _ = try store.collectGarbage(dryRun: false, force: true) }),
        ("vacuum", { store, _ in _ = try store.vacuum() }),
        ("rollback", { store, runs in _ = try store.rollback(run: runs.finished, object: "policy", to: 1) }),
        (
            "beginResumedRun",
            { store, runs in
                let point = ResumePoint(parent: runs.finished, cell: 2, commit: nil, bindings: [], nextSteps: [:])
                _ = try store.beginResumedRun(notebook: nil, source: "x", parameters: "{}", from: point)
            }
        ),
    ]

    @Test(arguments: writes.indices)
    func everyWriteRefusesAStoreFromANewerRLHF(_ index: Int) throws {
        let (name, write) = Self.writes[index]
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "x", parameters: "{}")
            _ = try store.commit(run: run, commit(1, [("policy", .checkpoint(policy()))]))
            _ = try store.commit(run: run, commit(2, [("policy", .checkpoint(policy(offset: 1)))]))
            try store.finishRun(run, status: .succeeded)
            let deleted = try store.beginRun(notebook: nil, source: "y", parameters: "{}")
            try store.finishRun(deleted, status: .succeeded)
            try store.removeRun(deleted)
            let open = try store.beginRun(notebook: nil, source: "z", parameters: "{}")
            try markNewer(store.path)
            let before = try dump(store.path)

            let error = storeError { try write(store, Runs(finished: run, open: open)) }
            #expect(error == .newerStore(store.path, migrations: ["v99-from-the-future"]), "\(name)")
            #expect(try dump(store.path) == before, "\(name) changed the store")
        }
    }

    /// Opening for writing refuses before it writes anything (no migration, no interrupted-run marking); reading is
    /// refused with the same error.
    @Test func openingANewerStoreIsRefusedForWritingAndReading() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "x", parameters: "{}")
            try markNewer(store.path)
            // The run's process is this one; mark it abandoned as a killed writer would leave it.
            RunLocks.shared.release(store: store.path, run: run)
            let before = try dump(store.path)
            #expect(
                storeError { _ = try LabStore(path: store.path) }
                    == .newerStore(store.path, migrations: ["v99-from-the-future"]))
            #expect(
                storeError { _ = try LabStore.openReadOnly(path: store.path) }
                    == .newerStore(store.path, migrations: ["v99-from-the-future"]))
            #expect(try dump(store.path) == before)
            let message = StoreError.newerStore(store.path, migrations: ["v99-from-the-future"]).description
            #expect(message.contains("newer rlhf") && message.contains("v99-from-the-future"))
        }
    }
}

/// Records a migration this rlhf does not know, as a newer rlhf would.
func markNewer(_ path: String) throws {
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
        try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
    }
    try queue.close()
}

/// Every row of every table of the store at `path`, as text (for "nothing changed").
func dump(_ path: String) throws -> [String] {
    var config = Configuration()
    config.readonly = true
    let queue = try DatabaseQueue(path: path, configuration: config)
    defer { try? queue.close() }
    return try queue.read { db in
        var lines: [String] = []
        for table in try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        {
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") {
                lines.append(table + ": " + row.description)
            }
        }
        return lines.sorted()
    }
}
