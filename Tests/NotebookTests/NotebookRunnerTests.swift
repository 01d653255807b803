import Foundation
import Store
import Testing

@testable import Language
@testable import Notebook

/// A small notebook in the quickstart's shape, sized so a debug test runs it in well under a second.
private let miniNotebook = """
    # %% setup id=setup
    seed(7)
    task = VectorTask(dim: 8, prompts: 32, candidates: 16, test_prompts: 20, contextual: false)
    policy = PolicyModel(input: 8, hidden: 8, output: 8)
    rm = RewardModel(input: 8, hidden: 8)
    # %% feedback id=feedback
    prefs = collect(task, policy: policy, annotator: BradleyTerry(noise: 0.05), pairs: 120)
    # %% reward id=reward
    r = fit(rm, prefs, epochs: 3, lr: 1e-2, batch: 16)
    # %% finetune id=finetune
    f = finetune(policy, rm, task, steps: 20, lr: 1e-2, kl: 0.5)
    # %% loop id=loop
    for i in range(2) {
        fit(rm, prefs, epochs: 1, lr: 1e-2, batch: 16)
        finetune(policy, rm, task, steps: 5, lr: 1e-2, kl: 0.5)
    }
    """

/// Runs `text` as a notebook on a fresh store; returns the store, the runner and every cell's outcome.
private func runNotebook(_ text: String, stopOnFailure: Bool = true)
    throws -> (store: LabStore, runner: NotebookRunner, outcomes: [CellOutcome], folder: URL)
{
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("NotebookTests-\(UUID().uuidString)")
    let store = try LabStore(path: folder.appendingPathComponent("lab.sqlite").path)
    let file = CellFile.parse(path: "test.rlhf", text: text)
    let runner = try NotebookRunner(store: store, notebook: file, source: text, output: { _ in })
    var outcomes: [CellOutcome] = []
    for cell in file.codeCells {
        let outcome = runner.execute(cell)
        outcomes.append(outcome)
        if case .failed = outcome, stopOnFailure { break }
    }
    return (store, runner, outcomes, folder)
}

private func count(_ store: LabStore, _ sql: String) throws -> Int64 {
    guard case let .integer(n) = try store.query(sql).rows.first?.first else { return -1 }
    return n
}

@Test func everyCellCommitsAndEveryTrainingCallLeavesAVersion() throws {
    let (store, runner, outcomes, folder) = try runNotebook(miniNotebook)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(outcomes.allSatisfy { if case .committed = $0 { true } else { false } })
    let run = runner.runID
    // policy: v1 at setup, one per finetune call (1 + 2 in the loop).
    #expect(try store.log(run: run, object: "policy").map(\.cellKey) == ["setup", "finetune", "loop", "loop"])
    #expect(try store.log(run: run, object: "rm").map(\.cellKey) == ["setup", "reward", "loop", "loop"])
    #expect(try store.log(run: run, object: "prefs").map(\.rows) == [120])
    #expect(try count(store, "SELECT count(*) FROM feedback") == 120)
    // rm.loss continues its steps across fit calls: 3 epochs, then 1 + 1.
    let loss = try store.metrics(run: run, name: "rm.loss")
    #expect(loss.map(\.step) == [0, 1, 2, 3, 4])
    #expect(try store.metrics(run: run, name: "policy.kl").count == 20 + 5 + 5)
}

@Test func aCellThatChangesNothingWritesNothing() throws {
    let (store, runner, _, folder) = try runNotebook(miniNotebook)
    defer { try? FileManager.default.removeItem(at: folder) }
    let blobsBefore = try count(store, "SELECT count(*) FROM blobs")
    let versionsBefore = try count(store, "SELECT count(*) FROM versions")
    guard case let .committed(summary, _) = runner.execute(source: "x = 1\nprint(policy)", key: "noop", title: "noop")
    else {
        Issue.record("a trivial cell must commit")
        return
    }
    #expect(summary.newVersions.isEmpty && summary.bytesWritten == 0)
    #expect(try count(store, "SELECT count(*) FROM blobs") == blobsBefore)
    #expect(try count(store, "SELECT count(*) FROM versions") == versionsBefore)
    // A copy under a new name is a new object whose version reuses every blob.
    guard case let .committed(copy, _) = runner.execute(source: "original = policy", key: "copy", title: "copy") else {
        Issue.record("copy cell must commit")
        return
    }
    #expect(copy.newVersions.map(\.object) == ["original"] && copy.bytesWritten == 0)
}

@Test func aFailingCellLeavesOnlyItsErrorAndTheSessionAsBefore() throws {
    let text = """
        # %% one
        seed(1)
        task = VectorTask(dim: 4, prompts: 8, candidates: 4, test_prompts: 4, contextual: false)
        rm = RewardModel(input: 4, hidden: 4)
        policy = PolicyModel(input: 4, hidden: 4, output: 4)
        # %% two
        prefs = collect(task, annotator: BradleyTerry(noise: 0.1), pairs: 30)
        # %% three
        fit(rm, prefs, epochs: 2, lr: 1e-2, batch: 8)
        log_metric("before.error", 1)
        leaked = 5
        finetune(policy, rm, task, step: 10)
        """
    let (store, runner, outcomes, folder) = try runNotebook(text)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(outcomes.count == 3)
    guard case let .failed(message) = outcomes[2] else {
        Issue.record("cell three must fail")
        return
    }
    #expect(
        message.hasPrefix(
            "test.rlhf:12:28: error: unknown argument 'step' to finetune() at cell '3' line 4; did you mean 'steps'?"))
    let detail = try store.run(runner.runID)
    #expect(detail.cells.map(\.status) == [.ok, .ok, .failed])
    #expect(detail.cells[2].commit == nil && detail.cells[2].error?.contains("unknown argument 'step'") == true)
    // Nothing of cell three: rm keeps one version, no metrics, one commit per successful cell.
    #expect(try store.log(run: runner.runID, object: "rm").count == 1)
    #expect(try count(store, "SELECT count(*) FROM metrics") == 0)
    #expect(try count(store, "SELECT count(*) FROM commits") == 2)
    // The session is as it was before cell three: no `leaked`, rm untrained.
    #expect(runner.interpreter.globals["leaked"] == nil)
    guard
        case let .committed(after, _) = runner.execute(
            source: "fit(rm, prefs, epochs: 2, lr: 1e-2, batch: 8)", key: "retry", title: "")
    else {
        Issue.record("the corrected cell must commit")
        return
    }
    #expect(after.newVersions.map(\.version) == [2])
    // Its metrics start at step 0: the failed cell's fit left no trace in the series either.
    #expect(try store.metrics(run: runner.runID, name: "rm.loss").map(\.step) == [0, 1])
}

@Test func aFailedCellDoesNotShiftTheRandomStream() throws {
    // Running a cell that fails (after drawing random numbers) must not change what later cells draw.
    let clean =
        "# %% a\nseed(3)\nx = PolicyModel(input: 2, hidden: 2, output: 2)\n# %% c\ny = RewardModel(input: 2, hidden: 2)\n"
    let withFailure =
        "# %% a\nseed(3)\nx = PolicyModel(input: 2, hidden: 2, output: 2)\n"
        + "# %% b\nz = RewardModel(input: 2, hidden: 2)\nundefined_name\n# %% c\ny = RewardModel(input: 2, hidden: 2)\n"
    let a = try runNotebook(clean)
    let b = try runNotebook(withFailure, stopOnFailure: false)
    defer {
        try? FileManager.default.removeItem(at: a.folder)
        try? FileManager.default.removeItem(at: b.folder)
    }
    let ha = try a.store.log(run: a.runner.runID, object: "y").map(\.contentHash)
    let hb = try b.store.log(run: b.runner.runID, object: "y").map(\.contentHash)
    #expect(ha.count == 1 && ha == hb)
}

@Test func twoRunsOfANotebookAreBitwiseEqual() throws {
    let a = try runNotebook(miniNotebook)
    let b = try runNotebook(miniNotebook)
    defer {
        try? FileManager.default.removeItem(at: a.folder)
        try? FileManager.default.removeItem(at: b.folder)
    }
    for name in ["policy", "rm", "prefs"] {
        #expect(
            try a.store.log(run: 1, object: name).map(\.contentHash)
                == b.store.log(run: 1, object: name).map(\.contentHash))
    }
    let ma = try a.store.metrics(run: 1).map { "\($0.name)#\($0.step)=\($0.value.bitPattern)" }
    let mb = try b.store.metrics(run: 1).map { "\($0.name)#\($0.step)=\($0.value.bitPattern)" }
    #expect(!ma.isEmpty && ma == mb)
}

@Test(
    arguments: [
        ("fit(RewardModel(input: 4, hidden: 2), prefs)", "argument 'rm' of fit() must be a variable"),
        ("finetune(rm, rm, task)", "finetune(): argument 'policy' must be a PolicyModel"),
        (
            "PolicyModel(input: 0, hidden: 2, output: 2)",
            "PolicyModel(): argument 'input' must be an integer between 1 and 100000, got 0"
        ),
        (
            "collect(task, policy: PolicyModel(input: 3, hidden: 2, output: 3), annotator: Coin(), pairs: 2)",
            "policy maps 3 → 3 values but the task's prompts and responses have 4"
        ),
        ("BradleyTerry(noise: 2)", "BradleyTerry(): argument 'noise' must be a finite number between 0 and 1, got 2"),
        (
            "fit(rm, collect(task, annotator: Coin(), pairs: 1), epochs: 0)",
            "fit(): argument 'epochs' must be an integer between 1 and 100000, got 0"
        ),
        (
            "PolicyModel(input: 100000, hidden: 100000, output: 2)",
            "argument 'hidden' asks for 100003 × 100000 values; the limit is 100000000"
        ),
        (
            "collect(task, annotator: Coin(), pairs: 100000000)",
            "collect(): argument 'pairs' must be an integer between 1 and 10000000, got 100000000"
        ),
        (
            "VectorTask(dim: 4, prompts: -1)",
            "VectorTask(): argument 'prompts' must be an integer between 1 and 10000000, got -1"
        ),
        (
            "finetune(p, rm, task, batch: 99999999999)",
            "finetune(): argument 'batch' must be an integer between 1 and 10000000, got 99999999999"
        ),
    ] as [(String, String)])
func builtinMisuseGetsALocatedError(source: String, expected: String) throws {
    let setup =
        "# %% s\nseed(1)\ntask = VectorTask(dim: 4, prompts: 4, candidates: 4, test_prompts: 4, contextual: false)\n"
        + "rm = RewardModel(input: 4, hidden: 2)\nprefs = collect(task, annotator: Coin(), pairs: 4)\n"
        + "p = PolicyModel(input: 4, hidden: 2, output: 4)\n"
    let (store, runner, _, folder) = try runNotebook(setup)
    defer { try? FileManager.default.removeItem(at: folder) }
    guard case let .failed(message) = runner.execute(source: source, key: "bad", title: "") else {
        Issue.record("'\(source)' must fail")
        return
    }
    #expect(message.hasPrefix("<shell>:1:") || message.hasPrefix("test.rlhf:1:"))
    #expect(message.contains(expected), "\(message)")
    #expect(try store.run(runner.runID).cells.last?.status == .failed)
}

@Test(
    arguments: [
        ("x = (1 +", true), ("fit(rm,\n prefs)", false), ("print(\"(\")", false), ("# (\nx = 1", false),
        ("{a: [1,", true),
    ] as [(String, Bool)])
func shellKeepsReadingWhileBracketsAreOpen(source: String, more: Bool) {
    #expect(NotebookRunner.needsMoreInput(source) == more)
}

@Test func labBuiltinsNeitherRepeatNorShadowCoreBuiltins() {
    let lab = LabBuiltins.all(LabState(seed: 0)).map(\.signature.name)
    let core = Set(Builtins.core.map(\.signature.name))
    #expect(Set(lab).count == lab.count, "a lab built-in is declared twice")
    #expect(core.intersection(lab).isEmpty, "lab built-ins hide core ones: \(core.intersection(lab).sorted())")
}
