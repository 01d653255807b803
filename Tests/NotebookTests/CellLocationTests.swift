import Foundation
import Store
import Testing

@testable import Language
@testable import Notebook

/// Runtime errors in a notebook name the cell and the line within it, after the file location.
@Test(arguments: [
    ("z = xs + 1", "cells.rlhf:6:8: error: cannot add list and number at cell 'train' line 2\nz = xs + 1\n       ^"),
    (
        "q = double(xs)",
        "cells.rlhf:3:25: error: cannot add list and number\nfn double(v) { return v + 1 }\n                        ^"
    ),
    (
        "print(xss)",
        "cells.rlhf:6:7: error: undefined variable 'xss' at cell 'train' line 2; did you mean 'xs'?\nprint(xss)\n      ^~~"
    ),
    (
        "print(xs[7])",
        "cells.rlhf:6:10: error: index 7 out of range for list of 2 at cell 'train' line 2\nprint(xs[7])\n         ^"
    ),
])
func runtimeErrorsNameTheCellAndItsLine(line: String, expected: String) throws {
    let text = "# %% setup id=setup\nxs = [1, 2]\nfn double(v) { return v + 1 }\n# %% train id=train\ny = 1\n\(line)\n"
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("CellLocation-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try LabStore(path: folder.appendingPathComponent("lab.sqlite").path)
    let file = CellFile.parse(path: "cells.rlhf", text: text)
    let runner = try NotebookRunner(store: store, notebook: file, source: text, output: { _ in })
    guard case .committed = runner.execute(file.cells[0]), case .failed(let message) = runner.execute(file.cells[1])
    else {
        Issue.record("the setup cell must commit and the train cell fail")
        return
    }
    #expect(message == expected)
}

/// An error that is not the language's (here the store refusing a name changing family) is located at the cell's
/// first line of code and quoted, like every other error.
@Test func storeErrorsAreLocatedAtTheCell() throws {
    let text = """
        # %% a id=a
        seed(1)
        task = VectorTask(dim: 2, prompts: 8, candidates: 4, test_prompts: 4, contextual: false)
        x = PolicyModel(input: 2, hidden: 2, output: 2)
        # %% b id=b
        # a comment line is skipped
          x = collect(task, annotator: Coin(), pairs: 3)
        """
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("CellLocation-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try LabStore(path: folder.appendingPathComponent("lab.sqlite").path)
    let file = CellFile.parse(path: "fam.rlhf", text: text)
    let runner = try NotebookRunner(store: store, notebook: file, source: text, output: { _ in })
    guard case .committed = runner.execute(file.cells[0]), case .failed(let message) = runner.execute(file.cells[1])
    else {
        Issue.record("cell a must commit and cell b fail")
        return
    }
    #expect(
        message == """
            fam.rlhf:7:3: error: cannot commit cell 2: 'x' is a checkpoint in run 1 and cannot become a dataset; use another name
              x = collect(task, annotator: Coin(), pairs: 3)
              ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            """)
}
