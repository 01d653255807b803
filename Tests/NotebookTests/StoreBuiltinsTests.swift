import Foundation
import Store
import Testing

@testable import Language
@testable import Notebook

/// Version references, `load`, `rollback` and the temporal dataset edits, run as notebook cells.
private let editsNotebook = """
    # %% setup id=setup
    seed(5)
    task = VectorTask(dim: 8, prompts: 32, candidates: 16, test_prompts: 20, contextual: false)
    policy = PolicyModel(input: 8, hidden: 8, output: 8)
    rm = RewardModel(input: 8, hidden: 8)
    # %% feedback id=feedback
    prefs = collect(task, policy: policy, annotator: BradleyTerry(noise: 0.05), pairs: 40)
    noisy = collect(task, annotator: Coin(), pairs: 10)
    print("added", add(prefs, noisy))
    # %% train id=train
    fit(rm, prefs, epochs: 2, lr: 1e-2, batch: 16)
    finetune(policy, rm, task, steps: 10, lr: 1e-2)
    # %% clean id=clean
    print("removed", prefs.remove(where: fn(r) { r.annotator == "coin" }))
    print("relabelled", prefs.relabel(task, annotator: BradleyTerry(noise: 0), where: fn(r) { r.uid <= 5 }))
    # %% versions id=versions
    print(prefs@1.count, prefs@0.count, prefs@-1.count, policy@1.trained_steps, policy@2.trained_steps)
    rollback(policy, to: 1)
    print(policy.trained_steps, load("1/rm@2").trained_steps)
    """

private func run(_ text: String) throws -> (LabStore, NotebookRunner, [String], URL) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("StoreBuiltins-\(UUID().uuidString)")
    let store = try LabStore(path: folder.appendingPathComponent("lab.sqlite").path)
    let file = CellFile.parse(path: "edits.rlhf", text: text)
    var lines: [String] = []
    let runner = try NotebookRunner(store: store, notebook: file, source: text, output: { lines.append($0) })
    for cell in file.codeCells {
        if case let .failed(message) = runner.execute(cell) {
            lines.append("FAILED: " + message)
            break
        }
    }
    return (store, runner, lines, folder)
}

@Test func datasetEditsAreTemporalAndVersionsAreAddressable() throws {
    let (store, runner, lines, folder) = try run(editsNotebook)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(lines == ["added 10", "removed 10", "relabelled 5", "50 40 50 0 10", "0 8"])
    let run = runner.runID
    // prefs: v1 with 50 rows at feedback; v2 at clean with 40 (10 removed, 5 relabelled = removed + added).
    #expect(try store.log(run: run, object: "prefs").map(\.rows) == [50, 40])
    let diff = try store.diff(
        VersionRef(run: run, object: "prefs", version: 1), VersionRef(run: run, object: "prefs", version: 2))
    guard case let .dataset(d) = diff else {
        Issue.record("expected a dataset diff")
        return
    }
    #expect(d.addedCount == 5 && d.removedCount == 15 && d.relabelledCount == 5)
    #expect(d.added.map(\.uid) == [1, 2, 3, 4, 5])
    #expect(d.added.allSatisfy { $0.annotator == "bradleyTerry(noise: 0.0)" })
    // Old rows are kept: the store still holds every row ever added.
    #expect(
        try store.query("SELECT count(*) FROM feedback f JOIN objects o ON o.id = f.object_id WHERE o.name = 'prefs'")
            .rows
            == [[.integer(55)]])

    let (_, blame) = try store.blame(VersionRef(run: run, object: "prefs"))
    #expect(blame.count == 40)
    #expect(blame.prefix(5).allSatisfy { $0.addedIn == 2 && $0.cellKey == "clean" && $0.replacesVersion == 1 })
    #expect(blame.dropFirst(5).allSatisfy { $0.addedIn == 1 && $0.cellKey == "feedback" && $0.replacesVersion == nil })
    #expect(!blame.contains { $0.annotator == "coin" })

    // rollback(policy, to: 1) wrote v3 with v1's content: a new version, no bytes.
    let policy = try store.log(run: run, object: "policy")
    #expect(policy.count == 3)
    #expect(
        policy[2].contentHash == policy[0].contentHash && policy[2].bytesWritten == 0 && policy[2].cellKey == "versions"
    )
}

@Test(arguments: [
    ("x = policy@7", "edits.rlhf:4:5: error: policy@7: policy has no version 7 in run 1 (latest is 1)"),
    ("x = nothing@1", "edits.rlhf:4:5: error: nothing@1: run 1 has no object 'nothing' (objects: policy)"),
    ("x = policy@-3", "edits.rlhf:4:5: error: policy@-3: policy has 1 committed version"),
    ("rollback(policy, to: 4)", "error: policy has no version 4 in run 1 (latest is 1)"),
    ("x = load(\"9/policy\")", "error: unknown run '9' (latest is 1)"),
    ("remove(policy, where: fn(r) { true })", "remove(): argument 'prefs' must be a Preferences, got PolicyModel"),
    (
        "policy.remove(where: fn(r) { true })",
        "edits.rlhf:4:1: error: remove(): argument 'prefs' must be a Preferences, got PolicyModel"
    ),
    (
        "policy.removee(where: fn(r) { true })",
        "edits.rlhf:4:8: error: value of type PolicyModel has no member 'removee'"
    ),
])
func storeBuiltinMisuseIsALocatedError(source: String, expected: String) throws {
    let text = "# %% a\npolicy = PolicyModel(input: 2, hidden: 2, output: 2)\n# %% b\n" + source + "\n"
    let (_, _, lines, folder) = try run(text)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(lines.last?.hasPrefix("FAILED: ") == true)
    #expect(lines.last?.contains(expected) == true, "\(lines)")
}
