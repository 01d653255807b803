import Foundation
import Testing

@testable import Language
@testable import Notebook

/// A marker line's options are checked before anything runs: an empty id, an option given twice and an unknown
/// option are errors located at the marker, and a notebook that cannot be read says why in plain words.
struct CellHeaderTests {
    @Test(arguments: [
        ("# %% a id=\nx = 1\n", ["nb.rlhf:1:1: error: empty cell id"]),
        ("# %% a id=\"\"\nx = 1\n", ["nb.rlhf:1:1: error: empty cell id"]),
        ("# %% a id=a id=b\nx = 1\n", ["nb.rlhf:1:1: error: duplicate cell option 'id'"]),
        ("# %% a id=a frob=1\nx = 1\n", ["nb.rlhf:1:1: error: unknown cell option 'frob' (known: 'id')"]),
        ("x = 1\n# %% b idd=b\ny = 2\n", ["nb.rlhf:2:1: error: unknown cell option 'idd'; did you mean 'id'?"]),
        ("# %% [markdown] seed=1\n# text\n", ["nb.rlhf:1:1: error: unknown cell option 'seed'"]),
        (
            "# %% a id=a\nx = 1\n# %% b id=a x=1\ny = 2\n",
            ["nb.rlhf:3:1: error: unknown cell option 'x'", "nb.rlhf:3:1: error: duplicate cell id 'a'"]
        ),
    ])
    func badOptionsAreLocatedAtTheMarker(text: String, expected: [String]) {
        let found = CellFile.parse(path: "nb.rlhf", text: text).diagnostics().map(\.description)
        #expect(found.count == expected.count, "\(found)")
        for (line, prefix) in zip(found, expected) { #expect(line.hasPrefix(prefix), "\(line)") }
    }

    @Test(arguments: ["# %% a id=a\nx = 1\n", "# %% setup\nx = 1\n# %% [markdown]\n# t\n", "x = 1\n"])
    func goodMarkersHaveNoDiagnostics(text: String) {
        #expect(CellFile.parse(path: "nb.rlhf", text: text).diagnostics() == [])
    }

    /// Every shipped notebook still passes the marker checks.
    @Test func shippedNotebooksHaveNoDiagnostics() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../notebooks")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".rlhf") }
        #expect(!names.isEmpty)
        for name in names {
            let file = try CellFile.load(path: folder.appendingPathComponent(name).path)
            #expect(file.diagnostics() == [], "\(name)")
        }
    }

    @Test func unreadableNotebooksSayWhyInPlainWords() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("CellHeaderTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases: [(String, String)] = [
            (folder.path, "it is a directory"), ("/dev/null", "it is not a regular file"),
            (folder.appendingPathComponent("missing.rlhf").path, "no such file"), ("", "no such file"),
        ]
        for (path, reason) in cases {
            #expect(throws: UnreadableNotebook(path: path, reason: reason)) { try CellFile.readText(path: path) }
        }
        #expect(
            UnreadableNotebook(path: "x.rlhf", reason: "permission denied").description
                == "cannot read notebook 'x.rlhf': permission denied")
    }
}
