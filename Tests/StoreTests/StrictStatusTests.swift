import Foundation
import GRDB
import Testing

@testable import Store

/// A status this rlhf does not know (written past the CHECK constraint: a damaged or hand-edited store) is an error
/// naming the row and the value wherever it is read, and `rlhf check` lists it; it never reads as `running`.
@Suite struct StrictStatusTests {
    /// A finished run (1) with a committed and a failed cell, and a resumable run (2) that is resumed below.
    private func populated(_ store: LabStore) throws {
        let run = try store.beginRun(notebook: "nb.rlhf", source: "src", parameters: "{}")
        _ = try store.commit(run: run, commit(1))
        try store.recordFailure(run: run, cell: cell(2), output: "", error: "boom", durationMs: 1)
        try store.finishRun(run, status: .failed)
    }

    @Test(arguments: [
        ("UPDATE runs SET status = 'paused' WHERE id = 1", "run 1", "paused", "run 1"),
        ("UPDATE cells SET status = 'skipped' WHERE ordinal = 2", "cell row 2", "skipped", "cell row 2"),
        ("UPDATE runs SET status = 'RUNNING' WHERE id = 1", "run 1", "RUNNING", "run 1"),
    ])
    func anUnknownStatusIsAnErrorNamingIt(sql: String, row: String, value: String, location: String) throws {
        try withTemporaryStore { store, _ in
            try populated(store)
            try tamper(store.path, "PRAGMA ignore_check_constraints = ON; \(sql)")
            let expected = StoreError.unknownStatus(row: row, value: value)
            #expect(throws: expected) { _ = try store.run(1) }
            #expect(throws: expected) { _ = try store.resumePoint(run: 1, fromCell: nil) }
            if row.hasPrefix("run") {
                #expect(throws: expected) { _ = try store.runs() }
                #expect(throws: expected) {
                    try store.recordFailure(run: 1, cell: cell(3), output: "", error: "e", durationMs: 1)
                }
            }
            #expect("\(expected)".contains("'\(value)'"))
            let problems = try LabStore.openReadOnly(path: store.path).check()
            #expect(problems.contains { $0.location == location && $0.message == "'\(value)' is not an allowed value" })
        }
    }

    /// Every status the enums know is one the store's CHECK constraints and `rlhf check` accept, and reads back.
    @Test(arguments: RunStatus.allCases)
    func everyKnownRunStatusReadsBack(status: RunStatus) throws {
        try withTemporaryStore { store, _ in
            try populated(store)
            try tamper(store.path, "UPDATE runs SET status = '\(status.rawValue)' WHERE id = 1")
            let read = try LabStore.openReadOnly(path: store.path)
            // A `running` run without a live writer reads as interrupted.
            #expect(try read.run(1).run.status == (status == .running ? .interrupted : status))
            #expect(try read.check() == [])
        }
    }
}
