import Alignment
import Foundation
import Store
import Testing

@testable import Language
@testable import Notebook

/// Every kind of binding a resumed run must restore: a task, an annotator, plain values, models with Adam state,
/// a dataset that grows, metric series that continue, and the run's generator.
private let resumeNotebook = """
    # %% setup id=setup
    seed(11)
    task = VectorTask(dim: 8, prompts: 32, candidates: 16, test_prompts: 20, contextual: false)
    policy = PolicyModel(input: 8, hidden: 8, output: 8)
    rm = RewardModel(input: 8, hidden: 8)
    judge = BradleyTerry(noise: 0.1)
    cfg = {lr: 0.01, steps: 15, tag: "a"}
    # %% feedback id=feedback
    prefs = collect(task, policy: policy, annotator: judge, pairs: 100)
    # %% reward id=reward
    r = fit(rm, prefs, epochs: 3, lr: cfg.lr, batch: 16)
    # %% finetune id=finetune
    f = finetune(policy, rm, task, steps: cfg.steps, lr: cfg.lr, kl: 0.5)
    log_metric("gold", evaluate(policy, task).gold.mean)
    # %% more id=more
    prefs = collect(task, policy: policy, annotator: judge, pairs: 50, into: prefs)
    r = fit(rm, prefs, epochs: 2, lr: cfg.lr, batch: 16)
    f = finetune(policy, rm, task, steps: cfg.steps, lr: cfg.lr, kl: 0.5)
    log_metric("gold", evaluate(policy, task).gold.mean)
    print(cfg.tag, judge.name, task.dim, prefs.count, round(f.kl, digits: 6))
    """

private struct Fixture {
    let folder: URL
    let store: LabStore
    let file: CellFile

    init(_ text: String = resumeNotebook) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ResumeTests-\(UUID().uuidString)")
        store = try LabStore(path: folder.appendingPathComponent("lab.sqlite").path)
        file = CellFile.parse(path: "resume.rlhf", text: text)
    }

    /// Runs the cells from `start` on; returns the run id and the outcomes.
    func run(_ runner: NotebookRunner, from start: Int = 1) -> [CellOutcome] {
        file.codeCells.dropFirst(start - 1).map { runner.execute($0) }
    }

    /// (cell, object, content hash) of every version written by a cell at or after `start`, in commit order.
    func versions(_ run: Int64, from start: Int) throws -> [String] {
        try store.query(
            """
            SELECT c.ordinal || ' ' || o.name || ' ' || v.content_hash FROM versions v
            JOIN objects o ON o.id = v.object_id JOIN commits co ON co.id = v.commit_id JOIN cells c ON c.id = co.cell_id
            WHERE o.run_id = \(run) AND c.ordinal >= \(start) ORDER BY v.id
            """
        ).rows.map { "\($0[0])" }
    }

    /// Metric points written by cells at or after `start`, values as bit patterns.
    func metrics(_ run: Int64, from start: Int) throws -> [String] {
        try store.query(
            """
            SELECT name, step, value FROM v_metrics WHERE run = \(run) AND cell >= \(start) ORDER BY name, step
            """
        ).rows.map { row in
            guard case let .real(value) = row[2] else { return "\(row)" }
            return "\(row[0]) \(row[1]) \(value.bitPattern)"
        }
    }

    func output(_ run: Int64, cell: Int) throws -> String {
        try store.run(run).cells.last { $0.ordinal == cell }?.output ?? "<none>"
    }
}

private func committed(_ outcomes: [CellOutcome]) -> Bool {
    outcomes.allSatisfy { if case .committed = $0 { true } else { false } }
}

@Test(arguments: [1, 2, 3, 4, 5])
func aResumedRunIsBitwiseTheUninterruptedRun(from cell: Int) throws {
    let fixture = try Fixture()
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let full = try NotebookRunner(store: fixture.store, notebook: fixture.file, source: "", output: { _ in })
    #expect(committed(fixture.run(full)))
    try full.finish(status: .succeeded)

    let point = try fixture.store.resumePoint(run: full.runID, fromCell: cell)
    #expect(point.cell == cell)
    #expect(point.bindings.map(\.name).contains("$rng") == (cell > 1))
    let child = try NotebookRunner(
        store: fixture.store, notebook: fixture.file, source: "", resuming: point, output: { _ in })
    #expect(child.firstCell == cell)
    #expect(committed(fixture.run(child, from: cell)))
    try child.finish(status: .succeeded)

    #expect(try fixture.versions(child.runID, from: cell) == fixture.versions(full.runID, from: cell))
    #expect(try fixture.metrics(child.runID, from: cell) == fixture.metrics(full.runID, from: cell))
    #expect(!(try fixture.metrics(child.runID, from: cell).isEmpty))
    #expect(try fixture.output(child.runID, cell: 5) == fixture.output(full.runID, cell: 5))
    for name in ["policy", "rm", "prefs"] {
        #expect(
            try fixture.store.log(run: child.runID, object: name).last?.contentHash
                == fixture.store.log(run: full.runID, object: name).last?.contentHash)
    }
    #expect(try fixture.store.parent(of: child.runID)! == (full.runID, cell))
    // Restored checkpoints reuse the parent's blobs: the restore commit wrote no tensor bytes.
    let restored = try fixture.store.log(run: child.runID, object: "policy").first
    if cell > 1 {
        #expect(restored?.note?.hasPrefix("from \(full.runID)/policy@") == true)
        #expect(restored?.bytesWritten == 0)
    }
    #expect(try fixture.store.check() == [])
}

@Test func aFailedRunResumesAtTheFailedCellWithTheFixedNotebook() throws {
    let broken = resumeNotebook.replacingOccurrences(
        of: "f = finetune(policy, rm, task, steps: cfg.steps, lr: cfg.lr, kl: 0.5)\nlog",
        with: "f = finetune(policy, rm, task, steps: cfg.stepz, lr: cfg.lr, kl: 0.5)\nlog")
    #expect(broken != resumeNotebook)
    let fixture = try Fixture(broken)
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let failing = try NotebookRunner(store: fixture.store, notebook: fixture.file, source: broken, output: { _ in })
    let outcomes = fixture.run(failing)
    #expect(outcomes.count == 5)
    guard case .failed = outcomes[3] else {
        Issue.record("cell 4 should fail")
        return
    }
    try failing.finish(status: .failed)

    let fixed = CellFile.parse(path: "resume.rlhf", text: resumeNotebook)
    let point = try fixture.store.resumePoint(run: failing.runID, fromCell: nil)
    #expect(point.cell == 4)
    let child = try NotebookRunner(
        store: fixture.store, notebook: fixed, source: resumeNotebook, resuming: point,
        output: { _ in })
    #expect(
        fixed.codeCells.dropFirst(3).map { child.execute($0) }.allSatisfy {
            if case .committed = $0 { true } else { false }
        })
    try child.finish(status: .succeeded)

    let reference = try NotebookRunner(store: fixture.store, notebook: fixed, source: "", output: { _ in })
    #expect(fixed.codeCells.map { reference.execute($0) }.count == 5)
    for name in ["policy", "rm", "prefs"] {
        let resumed = try fixture.store.log(run: child.runID, object: name).last?.contentHash
        #expect(resumed != nil)
        #expect(resumed == (try fixture.store.log(run: reference.runID, object: name).last?.contentHash))
    }
    #expect(try fixture.metrics(child.runID, from: 4) == fixture.metrics(reference.runID, from: 4))
}

@Test func resumeErrorsNameTheRunAndTheReason() throws {
    let fixture = try Fixture()
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let full = try NotebookRunner(store: fixture.store, notebook: fixture.file, source: "", output: { _ in })
    #expect(committed(fixture.run(full)))
    // Still running in this process: not resumable yet.
    #expect(throws: StoreError.runNotFinished(full.runID)) {
        try fixture.store.resumePoint(run: full.runID, fromCell: 2)
    }
    try full.finish(status: .succeeded)
    #expect(
        throws: StoreError.cannotResume(
            full.runID, reason: "it succeeded; pass --from-cell K to run it again from cell K")
    ) {
        try fixture.store.resumePoint(run: full.runID, fromCell: nil)
    }
    #expect(
        throws: StoreError.cannotResume(
            full.runID, reason: "cell 6 was never committed, so cell 7 has no state to start from")
    ) {
        try fixture.store.resumePoint(run: full.runID, fromCell: 7)
    }
    #expect(throws: StoreError.unknownRun(99, latest: full.runID)) {
        try fixture.store.resumePoint(run: 99, fromCell: 1)
    }
}

@Test func aFunctionDefinedBeforeTheResumeCellIsNamedNotSilentlyLost() throws {
    let text = """
        # %% a
        double = fn(x) { x * 2 }
        y = double(2)
        # %% b
        print(y)
        """
    let fixture = try Fixture(text)
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let full = try NotebookRunner(store: fixture.store, notebook: fixture.file, source: text, output: { _ in })
    #expect(committed(fixture.run(full)))
    try full.finish(status: .succeeded)
    let point = try fixture.store.resumePoint(run: full.runID, fromCell: 2)
    let runsBefore = try fixture.store.runs().count
    #expect(
        throws: ResumeError.cannotRestore(
            "double", "a function is not stored in the bindings; define it in the cell you resume from or later")
    ) {
        _ = try NotebookRunner(
            store: fixture.store, notebook: fixture.file, source: text, resuming: point, output: { _ in })
    }
    // Nothing was written: the child run is created only once every binding is rebuilt.
    #expect(try fixture.store.runs().count == runsBefore)
}

@Test func ensemblesSamplingPoliciesAndPanelsResumeBitwise() throws {
    let text = """
        # %% setup id=setup
        seed(4)
        task = VectorTask(dim: 6, prompts: 24, candidates: 12, test_prompts: 10, contextual: false)
        ens = RewardEnsemble(input: 6, hidden: 6, members: 3)
        sampler = SamplingPolicy(task, hidden: 8)
        panel = Panel(annotators: [Oracle(), BradleyTerry(noise: 0.2), Biased(weight: 0.5)])
        judges = [Coin(), panel]
        # %% feedback id=feedback
        prefs = collect(task, annotator: judges[1], pairs: 60)
        # %% fit id=fit
        fit(ens, prefs, epochs: 2, lr: 1e-2, batch: 16)
        """
    let fixture = try Fixture(text)
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let full = try NotebookRunner(store: fixture.store, notebook: fixture.file, source: text, output: { _ in })
    let outcomes = fixture.run(full)
    #expect(committed(outcomes), "\(outcomes)")
    try full.finish(status: .succeeded)
    let point = try fixture.store.resumePoint(run: full.runID, fromCell: 2)
    let child = try NotebookRunner(
        store: fixture.store, notebook: fixture.file, source: text, resuming: point, output: { _ in })
    #expect(committed(fixture.run(child, from: 2)))
    for name in ["ens", "sampler", "prefs"] {
        let hash = try fixture.store.log(run: child.runID, object: name).last?.contentHash
        let expected = try fixture.store.log(run: full.runID, object: name).last?.contentHash
        #expect(hash != nil && hash == expected)
    }
}

/// Tasks are stored as their parameters and seed; resuming rebuilds them and must continue bitwise.
@Test(arguments: [
    ("ModerationTask(dim: 6, items: 40, test_items: 20, noise: 0.45)", "category_accuracy(policy, task)"),
    ("SupportTask(dim: 6, conversations: 40, test_conversations: 20, noise: 0.45)", "support_scorecard(policy, task)"),
])
func aCandidateTaskIsRebuiltExactlyOnResume(task: String, measure: String) throws {
    let text = """
        # %% setup id=setup
        seed(9)
        task = \(task)
        policy = SamplingPolicy(task, hidden: 8)
        prefs = collect(task, annotator: BradleyTerry(noise: 0.1), pairs: 60)
        rm = RewardModel(input: task.response_dim, hidden: 8)
        # %% align id=align
        fit(rm, prefs, epochs: 2, lr: 1e-2)
        ppo(policy, rm, task, steps: 5, lr: 1e-2, kl: 0.05, batch: 8)
        print(\(measure))
        """
    let fixture = try Fixture(text)
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let full = try NotebookRunner(store: fixture.store, notebook: fixture.file, source: text, output: { _ in })
    #expect(committed(fixture.run(full)))
    try full.finish(status: .succeeded)
    let point = try fixture.store.resumePoint(run: full.runID, fromCell: 2)
    let child = try NotebookRunner(
        store: fixture.store, notebook: fixture.file, source: text, resuming: point, output: { _ in })
    #expect(committed(fixture.run(child, from: 2)))
    #expect(try fixture.versions(child.runID, from: 2) == fixture.versions(full.runID, from: 2).map { $0 })
    #expect(try fixture.output(child.runID, cell: 2) == fixture.output(full.runID, cell: 2))
}

/// A resumed run that is itself interrupted resumes again: the cells it restored from its parent count as its own
/// (its first commit holds their state), each metric series continues from wherever in the chain it was last logged,
/// and the chain ends bitwise where the uninterrupted run ends. Run 1 stops after cell `first`, run 2 (resuming it)
/// after cell `second`; `second == first` is a resumed run interrupted before its first cell.
@Test(arguments: [(2, 4), (1, 3), (3, 4), (2, 2), (4, 4), (1, 1)])
func aChainOfInterruptedRunsResumesBitwise(first: Int, second: Int) throws {
    let fixture = try Fixture()
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let cells = fixture.file.codeCells
    let full = try NotebookRunner(store: fixture.store, notebook: fixture.file, source: "", output: { _ in })
    #expect(committed(fixture.run(full)))
    try full.finish(status: .succeeded)

    let one = try NotebookRunner(store: fixture.store, notebook: fixture.file, source: "", output: { _ in })
    #expect(committed(cells.prefix(first).map { one.execute($0) }))
    try one.finish(status: .interrupted)
    let atTwo = try fixture.store.resumePoint(run: one.runID, fromCell: nil)
    #expect(atTwo.cell == first + 1)
    let two = try NotebookRunner(
        store: fixture.store, notebook: fixture.file, source: "", resuming: atTwo, output: { _ in })
    #expect(committed(cells[first..<second].map { two.execute($0) }))
    try two.finish(status: .interrupted)

    let atThree = try fixture.store.resumePoint(run: two.runID, fromCell: nil)
    #expect(atThree.cell == second + 1)
    let three = try NotebookRunner(
        store: fixture.store, notebook: fixture.file, source: "", resuming: atThree, output: { _ in })
    #expect(committed(fixture.run(three, from: second + 1)))
    try three.finish(status: .succeeded)

    #expect(try fixture.versions(three.runID, from: second + 1) == fixture.versions(full.runID, from: second + 1))
    #expect(try fixture.metrics(three.runID, from: second + 1) == fixture.metrics(full.runID, from: second + 1))
    for name in ["policy", "rm", "prefs"] {
        #expect(
            try fixture.store.log(run: three.runID, object: name).last?.contentHash
                == fixture.store.log(run: full.runID, object: name).last?.contentHash)
    }
    #expect(try fixture.output(three.runID, cell: 5) == fixture.output(full.runID, cell: 5))
    #expect(try fixture.store.check() == [])
}

/// A resumed run holds no state before the cell it resumed at: resuming it earlier names the run that does.
@Test func resumingAResumedRunBeforeItsFirstCellNamesItsParent() throws {
    let fixture = try Fixture()
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let one = try NotebookRunner(store: fixture.store, notebook: fixture.file, source: "", output: { _ in })
    #expect(committed(fixture.file.codeCells.prefix(3).map { one.execute($0) }))
    try one.finish(status: .interrupted)
    let two = try NotebookRunner(
        store: fixture.store, notebook: fixture.file, source: "",
        resuming: try fixture.store.resumePoint(run: one.runID, fromCell: nil), output: { _ in })
    try two.finish(status: .interrupted)
    #expect(
        throws: StoreError.cannotResume(
            two.runID,
            reason: "it started at cell 4 from run \(one.runID)'s state, so it holds none before cell 2; "
                + "resume run \(one.runID) at cell 2 instead")
    ) {
        try fixture.store.resumePoint(run: two.runID, fromCell: 2)
    }
    #expect(try fixture.store.resumePoint(run: two.runID, fromCell: 4).commit != nil)
}
