import Foundation
import Testing

@testable import Store

/// A cell is one transaction: a commit that fails leaves every table exactly as it was.
@Suite struct TransactionTests {
    @Test func badTensorInTheLastObjectWritesNothing() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(run: run, commit(1, [("policy", .checkpoint(policy()))]))
            let before = try tableCounts(store)
            let bad = Checkpoint(
                kind: "reward", config: "{}", tensors: [StoredTensor(name: "w", shape: [3], values: [1])])
            let error = storeError {
                _ = try store.commit(
                    run: run,
                    commit(
                        2, [("policy", .checkpoint(policy(offset: 1))), ("rm", .checkpoint(bad))],
                        metrics: [MetricPoint(name: "loss", step: 1, value: 0.5)]))
            }
            #expect(error == .badTensor(object: "rm", tensor: "w", reason: "it has 1 values but shape [3] needs 3"))
            #expect(try tableCounts(store) == before)
        }
    }

    /// This failure happens inside the transaction, after the cell, commit, version, blobs and metrics rows
    /// were inserted: the rollback must undo all of them.
    @Test func failureMidwayRollsEverythingBack() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(run: run, commit(1, [("policy", .checkpoint(policy()))]))
            let before = try tableCounts(store)
            let error = storeError {
                _ = try store.commit(
                    run: run,
                    commit(
                        2,
                        [
                            ("policy", .checkpoint(policy(offset: 1))),
                            ("prefs", .dataset(kind: "p", config: "{}", rows: [row(1)])),
                        ],
                        metrics: [MetricPoint(name: "loss", step: 1, value: 0.5)],
                        bindings: [("lr", .value(json: "0.1")), ("ghost", .object(name: "ghost"))]))
            }
            guard case .badCommit(2, let reason) = error else {
                Issue.record("expected badCommit, got \(String(describing: error))")
                return
            }
            #expect(reason.contains("'ghost'"))
            #expect(try tableCounts(store) == before)
            #expect(try store.log(run: run, object: "policy").count == 1)
        }
    }

    @Test func recordFailureWritesOnlyACellRow() throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            let before = try tableCounts(store)
            try store.recordFailure(
                run: run, cell: cell(1, key: "train"), output: "partial", error: "boom", durationMs: 3)
            var expected = before
            expected["cells"] = (before["cells"] ?? 0) + 1
            #expect(try tableCounts(store) == expected)
            let detail = try store.run(run)
            #expect(
                detail.cells == [
                    CellInfo(
                        ordinal: 1, key: "train", title: "cell 1", source: "x = 1", status: .failed, durationMs: 3,
                        output: "partial", error: "boom", commit: nil)
                ])
            #expect(detail.run.failedCell == 1)
        }
    }

    @Test(arguments: [RunStatus.succeeded, .failed, .interrupted])
    func finishRunSetsStatusAndTime(status: RunStatus) throws {
        try withTemporaryStore { store, _ in
            let run = try store.beginRun(notebook: "nb.rlhf", source: "", parameters: #"{"lr":0.1}"#)
            #expect(try store.runs().first?.finishedAt == nil)
            try store.finishRun(run, status: status)
            let summary = try #require(try store.runs().first)
            #expect(summary.status == status)
            #expect(summary.finishedAt != nil)
            #expect(summary.parameters == #"{"lr":0.1}"#)
            #expect(storeError { _ = try store.commit(run: run, commit(1)) } == .runNotRunning(run, status: status))
        }
    }
}
