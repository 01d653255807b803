import Foundation
import Store
import Testing

@testable import Language
@testable import Notebook

/// A notebook with a parameters cell, a failing cell in the middle, training and a custom metric.
private let replayNotebook = """
    # %% parameters
    dim = 6
    steps = 8
    # %% setup id=setup
    seed(11)
    task = VectorTask(dim: dim, prompts: 24, candidates: 12, test_prompts: 10, contextual: false)
    policy = PolicyModel(input: dim, hidden: 8, output: dim)
    rm = RewardModel(input: dim, hidden: 8)
    prefs = collect(task, policy: policy, annotator: BradleyTerry(noise: 0.1), pairs: 60)
    # %% broken id=broken
    fit(rm, prefs, epoch: 2)
    # %% train id=train
    fit(rm, prefs, epochs: 2, lr: 1e-2, batch: 16)
    finetune(policy, rm, task, steps: steps, lr: 1e-2, kl: 0.5)
    log_metric("custom", steps * 2)
    """

/// Runs every code cell (continuing past failures) on a fresh store, with `--param`-style overrides.
private func runWithParameters(_ text: String, _ overrides: [String]) throws -> (LabStore, Int64, URL) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ReplayTests-\(UUID().uuidString)")
    let store = try LabStore(path: folder.appendingPathComponent("lab.sqlite").path)
    let (file, json) = try NotebookParameters.parse(overrides).apply(
        to: CellFile.parse(path: "replay.rlhf", text: text))
    let runner = try NotebookRunner(store: store, notebook: file, source: text, parameters: json, output: { _ in })
    for cell in file.codeCells { _ = runner.execute(cell) }
    try runner.finish(status: .failed)
    return (store, runner.runID, folder)
}

@Test func aReplayReproducesEveryVersionAndMetricBitForBit() throws {
    let (store, run, folder) = try runWithParameters(replayNotebook, ["steps=5"])
    defer { try? FileManager.default.removeItem(at: folder) }
    let replay = try RunReplay(store: store, run: run).execute(output: { _ in })
    #expect(replay.id == run + 1)
    // The failing cell fails again; the others commit.
    #expect(
        replay.cells.map { if case .failed = $0.outcome { "failed" } else { "ok" } } == ["ok", "ok", "failed", "ok"])
    let original = try store.run(run)
    let copy = try store.run(replay.id)
    #expect(copy.run.parameters == original.run.parameters && copy.run.parameters == #"{"dim": 6, "steps": 5}"#)
    #expect(copy.run.status == .failed)
    let checkpoints = original.objects.filter { $0.kind == .checkpoint }.flatMap(\.versions).count
    let datasets = original.objects.filter { $0.kind == .dataset }.flatMap(\.versions).count
    // policy and rm at setup, then rm fitted and policy fine-tuned; one prefs version.
    #expect(checkpoints == 4 && datasets == 1)
    // 2 rm.loss + 2 rm.accuracy + 5 × 4 finetune series + 1 custom.
    #expect(original.run.metrics == 25)
    #expect(try store.metrics(run: run, name: "custom").map(\.value) == [10])
    let verdict = try ReplayVerification.compare(store: store, original: run, replay: replay.id)
    #expect(verdict == .identical(.init(checkpoints: checkpoints, datasetVersions: datasets, metrics: 25)))
    #expect(
        "\(try #require({ if case .identical(let i) = verdict { i } else { nil } }()))"
            == "verified: 4 checkpoints, 1 dataset version, 25 metrics identical")
}

@Test func runsWithDifferentParametersDivergeAtTheFirstDifferentMetricOrTensor() throws {
    // Two runs of the same cells where a parameter differs: the comparison names the cell and both values.
    let (store, run, folder) = try runWithParameters(replayNotebook, [])
    defer { try? FileManager.default.removeItem(at: folder) }
    let runner = try NotebookRunner(store: store, notebook: nil, source: "", output: { _ in })
    for cell in try store.run(run).cells {
        // Same cells, but the training cell logs a different custom value.
        let source =
            cell.key == "train" ? cell.source.replacingOccurrences(of: "steps * 2", with: "steps * 3") : cell.source
        _ = runner.execute(source: source, key: cell.key, title: cell.title)
    }
    let verdict = try ReplayVerification.compare(store: store, original: run, replay: runner.runID)
    guard case .diverged(let divergence) = verdict else {
        Issue.record("expected a divergence, got \(verdict)")
        return
    }
    #expect(divergence.cell == 4 && divergence.cellKey == "train")
    // steps = 8: the custom metric is 16 in the original and 24 in the other run.
    #expect(divergence.subject == "metric custom step 0")
    #expect(divergence.original.hasPrefix("16.0 (0x") && divergence.replay.hasPrefix("24.0 (0x"))
    #expect(divergence.description.hasPrefix("diverged at cell 4 ('train'): metric custom step 0: 16.0 (0x"))
}

@Test(arguments: [
    (["lr=1"], "unknown parameter 'lr' (the parameters cell at p.rlhf:2 declares dim, steps)"),
    (
        ["step=3"],
        "unknown parameter 'step'; did you mean 'steps'? (the parameters cell at p.rlhf:2 declares dim, steps)"
    ),
    (["steps"], "--param 'steps' is not name=value (e.g. --param lr=3e-4)"),
    (["steps=dim"], "--param steps: 'dim' is not a literal"),
    (["steps=1 +"], "--param steps: '1 +' is not a literal"),
    (["1x=2"], "--param '1x=2': '1x' is not a variable name"),
])
func badParametersAreRefusedWithOneClearLine(overrides: [String], message: String) throws {
    let file = CellFile.parse(path: "p.rlhf", text: "# %% parameters\ndim = 6\nsteps = 8\n# %% two\nprint(dim)")
    #expect {
        try NotebookParameters.parse(overrides).apply(to: file)
    } throws: { error in
        "\(error)".hasPrefix(message)
    }
}

@Test func parametersOverrideTheParametersCellAndAreRecordedInDeclarationOrder() throws {
    let text = "# %% parameters\nname = \"a\"\nsizes = [1, 2]\nlr = 1e-3\n# %% use\nprint(name, sizes, lr)"
    let (file, json) = try NotebookParameters.parse(["lr=-0.5", #"name="b""#]).apply(
        to: CellFile.parse(path: "p.rlhf", text: text))
    #expect(json == #"{"name": "b", "sizes": [1, 2], "lr": -0.5}"#)
    #expect(
        file.cells[0].source == "name = \"a\"\nsizes = [1, 2]\nlr = 1e-3\nlr = -0.5  # --param\nname = \"b\"  # --param"
    )
    var printed: [String] = []
    let interpreter = Interpreter(output: { printed.append($0) })
    for cell in file.codeCells {
        _ = try interpreter.run(source: cell.source, file: "p.rlhf", firstLine: cell.firstLine)
    }
    #expect(printed == ["b [1, 2] -0.5"])
    // Without overrides nothing changes; without a parameters cell, an override is refused.
    let plain = CellFile.parse(path: "p.rlhf", text: text)
    #expect(try NotebookParameters().apply(to: plain).notebook == plain)
    #expect(throws: NotebookParameters.Problem.self) {
        try NotebookParameters.parse(["x=1"]).apply(to: CellFile.parse(path: "q.rlhf", text: "x = 1"))
    }
}
