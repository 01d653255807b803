import Foundation
import Store
import Testing

@testable import Language
@testable import Notebook

/// Models inside lists and records: trained in place through an element (`finetune(ps[i], …)`), logged under their
/// own series, stored as objects of their own and restored by a resumed run to the same bits.
private let collectionNotebook = """
    # %% setup id=setup
    seed(3)
    task = VectorTask(dim: 4, prompts: 16, candidates: 8, test_prompts: 8, contextual: false)
    rm = RewardModel(input: 4, hidden: 4)
    ps = [PolicyModel(input: 4, hidden: 4, output: 4), PolicyModel(input: 4, hidden: 4, output: 4)]
    best = {policy: PolicyModel(input: 4, hidden: 4, output: 4), kl: 0.5}
    # %% train id=train
    for i in range(2) {
        finetune(ps[i], rm, task, steps: 3, lr: 0.01, kl: 0.1 * i, name: "kl" + str(i))
    }
    finetune(best.policy, rm, task, steps: 2, lr: 0.01, kl: best.kl)
    finetune(ps[-1], rm, task, steps: 2, lr: 0.01)
    # %% use id=use
    print(round(evaluate(ps[0], task).gold.mean, digits: 6), round(evaluate(best.policy, task).gold.mean, digits: 6))
    """

private struct CollectionFixture {
    let folder: URL
    let store: LabStore
    let file = CellFile.parse(path: "collection.rlhf", text: collectionNotebook)

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("Collection-\(UUID().uuidString)")
        store = try LabStore(path: folder.appendingPathComponent("lab.sqlite").path)
    }

    func strings(_ sql: String) throws -> [String] {
        try store.query(sql).rows.map { row in
            row.map { cell in
                switch cell {
                case .text(let text): text
                case .integer(let n): "\(n)"
                default: "\(cell)"
                }
            }.joined(separator: " ")
        }
    }
}

@Test func modelsInListsAndRecordsAreTrainedStoredAndResumed() throws {
    let fixture = try CollectionFixture()
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    var printed: [String] = []
    let full = try NotebookRunner(
        store: fixture.store, notebook: fixture.file, source: "", output: { printed.append($0) })
    for cell in fixture.file.codeCells {
        guard case .committed = full.execute(cell) else {
            Issue.record("cell \(cell.key) did not commit: \(full.execute(cell))")
            return
        }
    }
    try full.finish(status: .succeeded)

    // One series per `name:`; the element's own path otherwise (ps[-1] is ps[1]).
    let series = try fixture.strings(
        "SELECT name || ' ' || count(*) FROM v_metrics WHERE run = \(full.runID) AND name LIKE '%.gold' GROUP BY name")
    #expect(series == ["best.policy.gold 2", "kl0.gold 3", "kl1.gold 3", "ps[1].gold 2"])
    // Each element is an object: cell 1 writes the initial weights, cell 2 one version per training call.
    let versions = try fixture.strings(
        """
        SELECT o.name || ' ' || count(*) FROM versions v JOIN objects o ON o.id = v.object_id
        WHERE o.run_id = \(full.runID) AND o.name IN ('ps[0]', 'ps[1]', 'best.policy') GROUP BY o.name ORDER BY o.name
        """)
    #expect(versions == ["best.policy 2", "ps[0] 2", "ps[1] 3"])
    let binding = try fixture.strings(
        """
        SELECT b.value FROM bindings b JOIN commits co ON co.id = b.commit_id JOIN cells c ON c.id = co.cell_id
        WHERE co.run_id = \(full.runID) AND b.name = 'ps' AND c.ordinal = 1
        """)
    #expect(binding == [#"[{"$object":"ps[0]"},{"$object":"ps[1]"}]"#])

    // Resumed at the last cell, the models come back from their objects and give the same printed values.
    let point = try fixture.store.resumePoint(run: full.runID, fromCell: 3)
    var resumedOutput: [String] = []
    let child = try NotebookRunner(
        store: fixture.store, notebook: fixture.file, source: "", resuming: point,
        output: { resumedOutput.append($0) })
    guard let last = fixture.file.codeCells.last, case .committed = child.execute(last) else {
        Issue.record("the resumed cell did not commit")
        return
    }
    #expect(resumedOutput == [printed.last ?? "<none>"])
    #expect(!resumedOutput.isEmpty)
}

@Test func aTrainedElementMustBeAPathOfLiteralsOrVariables() throws {
    let fixture = try CollectionFixture()
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let text = collectionNotebook.replacingOccurrences(of: "finetune(ps[-1]", with: "finetune(ps[len(ps) - 1]")
    let file = CellFile.parse(path: "collection.rlhf", text: text)
    let runner = try NotebookRunner(store: fixture.store, notebook: file, source: "", output: { _ in })
    #expect({ if case .committed = runner.execute(file.codeCells[0]) { true } else { false } }())
    guard case let .failed(message) = runner.execute(file.codeCells[1]) else {
        Issue.record("cell 2 should fail")
        return
    }
    #expect(message.contains("argument 'policy' of finetune() must be a variable"), "\(message)")
}
