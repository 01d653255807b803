import Foundation
import Store
import Testing

@testable import Language
@testable import Notebook

/// Records what the executor reports, in order.
private final class Transcript: CellExecutionObserver {
    var lines: [String] = []
    func executorReached(prose text: String) { lines.append("prose \(text)") }
    func executorWillRun(_ cell: PlannedCell) { lines.append("run \(cell.key)") }
    func executorDidRun(_ cell: PlannedCell, outcome: CellOutcome) {
        switch outcome {
        case .committed: lines.append("ok \(cell.key)")
        case .failed: lines.append("failed \(cell.key)")
        case .cancelled(_, let reason): lines.append("cancelled \(cell.key) \(reason)")
        }
    }
}

/// Cells a (ok), b (fails), c (ok, or runs until cancelled when `slow`), d (ok).
private func executorNotebook(slow: Bool) -> CellFile {
    CellFile.parse(
        path: "exec.rlhf",
        text: """
            # %% id=a
            x = 1
            # %% [markdown]
            Prose.
            # %% id=b
            y = nope
            # %% id=c
            \(slow ? "while true { x += 1 }" : "x += 1")
            # %% id=d
            print(x)
            """)
}

struct ExecutorRow: Sendable, CustomStringConvertible {
    var policy: FailurePolicy
    var slow: Bool
    var transcript: [String]
    var ending: String
    var status: RunStatus
    var description: String { "\(policy) slow=\(slow)" }
}

/// Every policy over the same cells: which run, what is reported, how the run ends and is recorded.
@Test(arguments: [
    ExecutorRow(
        policy: .stopAtFirstFailure, slow: false,
        transcript: ["run a", "ok a", "prose Prose.", "run b", "failed b"], ending: "stopped b", status: .failed),
    ExecutorRow(
        policy: .continueOnError, slow: false,
        transcript: ["run a", "ok a", "prose Prose.", "run b", "failed b", "run c", "ok c", "run d", "ok d"],
        ending: "failures b", status: .failed),
    ExecutorRow(
        policy: .continueOnError, slow: true,
        transcript: [
            "run a", "ok a", "prose Prose.", "run b", "failed b", "run c", "cancelled c timeout", "run d",
            "ok d",
        ],
        ending: "failures b,c", status: .failed),
    ExecutorRow(
        policy: .runEveryCell, slow: false,
        transcript: ["run a", "ok a", "prose Prose.", "run b", "failed b", "run c", "ok c", "run d", "ok d"],
        ending: "failures b", status: .failed),
])
func executorFollowsThePolicy(row: ExecutorRow) throws {
    try withExecutor(slow: row.slow) { executor, notebook, store in
        executor.runner.cellTimeout = row.slow ? 0.2 : nil
        let plan = try RunPlan(notebook: notebook)
        let execution = try executor.run(plan.steps(notebook, firstCell: 1), onFailure: row.policy)
        #expect((executor.observer as? Transcript)?.lines == row.transcript)
        #expect(describe(execution.ending) == row.ending)
        try executor.finish(execution.ending)
        let run = try store.run(executor.runner.runID)
        #expect(run.run.status == row.status)
        #expect(run.cells.map(\.key) == execution.cells.map(\.cell.key))
    }
}

/// A cancel request pending when a cell is due (it came after the previous cell's last check point) stops the run
/// before that cell, which never starts.
@Test(arguments: [CancelRequest.Reason.interrupt, .terminate])
func aPendingCancelStopsBeforeTheNextCell(reason: CancelRequest.Reason) throws {
    try withExecutor(slow: false) { executor, notebook, store in
        executor.runner.cancel(reason)
        let steps = try RunPlan(notebook: notebook).steps(notebook, firstCell: 1)
        let execution = try executor.run(steps, onFailure: .continueOnError)
        #expect(execution.cells.isEmpty)
        #expect(execution.ending == .cancelled(at: try #require(steps.first?.cell), reason: reason, started: false))
        #expect(execution.ending.exitCode == (reason == .interrupt ? 130 : 143))
        try executor.finish(execution.ending)
        #expect(try store.run(executor.runner.runID).run.status == .cancelled)
    }
}

/// A timeout under the default policy ends the run at that cell with 124, the cell recorded cancelled.
@Test func aTimeoutStopsTheRunAtItsCell() throws {
    try withExecutor(slow: true) { executor, notebook, store in
        executor.runner.cellTimeout = 0.2
        let steps = try RunPlan(notebook: notebook, cells: "1,3").steps(notebook, firstCell: 1)
        let execution = try executor.run(steps, onFailure: .stopAtFirstFailure)
        #expect(describe(execution.ending) == "cancelled c timeout started")
        #expect(execution.ending.exitCode == 124)
        #expect(try store.run(executor.runner.runID).cells.map(\.status) == [.ok, .cancelled])
    }
}

private func describe(_ ending: RunEnding) -> String {
    switch ending {
    case .finished(let failures):
        failures.isEmpty ? "finished" : "failures " + failures.map(\.key).joined(separator: ",")
    case .stopped(let cell): "stopped \(cell.key)"
    case .cancelled(let cell, let reason, let started): "cancelled \(cell.key) \(reason)\(started ? " started" : "")"
    }
}

private func withExecutor(slow: Bool, _ body: (CellExecutor, CellFile, LabStore) throws -> Void) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("CellExecutorTests-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try LabStore(path: folder.appendingPathComponent("lab.sqlite").path)
    let notebook = executorNotebook(slow: slow)
    let runner = try NotebookRunner(store: store, notebook: notebook, source: "", output: { _ in })
    try body(CellExecutor(runner: runner, observer: Transcript()), notebook, store)
}
