import Foundation
import Store
import Testing

@testable import Interop

/// `rlhf export RUN --format ipynb`'s work: a stored run comes out as an nbformat 4.5 notebook whose cells, outputs
/// and metadata are the store's, written as nbformat writes a notebook, the same bytes every time.
struct JupyterNotebookTests {
    static let chartText = "▇▇ a\n▇ b\n"
    static let svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">\n</svg>\n"

    /// A run of three cells: one that prints, one that draws a chart between two lines (and a second chart it never
    /// printed), one that fails after printing.
    static func store() throws -> (LabStore, String) {
        let dir = GPT2DirectoryTests.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let store = try LabStore(path: dir + "/lab.sqlite")
        let run = try store.beginRun(
            notebook: "nb.rlhf", source: "", parameters: "{\"steps\":3,\"lr\":0.5}",
            metadata: RunMetadata(name: "small", tags: ["b", "a"]))
        _ = try store.commit(
            run: run,
            CellCommit(
                cell: CellRecord(ordinal: 1, key: "setup", title: "Setup", source: "seed(5)\nprint(\"x\\t\\\"y\\\"\")"),
                output: "x\t\"y\"\n", durationMs: 1.5))
        _ = try store.commit(
            run: run,
            CellCommit(
                cell: CellRecord(ordinal: 2, key: "charts", title: "", source: "plot.bars(…)\n"),
                output: "before\n" + chartText + "after\n", durationMs: 12,
                artifacts: [
                    Artifact(name: "bars.svg", mediaType: "image/svg+xml", data: Data(svg.utf8), text: chartText),
                    Artifact(name: "quiet.svg", mediaType: "image/svg+xml", data: Data(svg.utf8)),
                ]))
        try store.recordFailure(
            run: run, cell: CellRecord(ordinal: 3, key: "3", title: "", source: "boom()"), output: "partial\n",
            error: "nb.rlhf:3:1: error: unknown function 'boom'\n    3 | boom()", durationMs: 0.25)
        try store.finishRun(run, status: .failed)
        return (store, dir)
    }

    static func parsed(_ notebook: JupyterNotebook) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(notebook.json.utf8)) as? [String: Any])
    }

    @Test func holdsEveryStoredCellWithItsOutputsInOrder() throws {
        let (store, dir) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let notebook = try JupyterNotebook(store: store, run: 1)
        #expect(notebook.cells.map(\.id) == ["header", "cell-1", "cell-2", "cell-3"])
        #expect(notebook.cells.map(\.kind) == [.markdown, .code, .code, .code])
        #expect(notebook.cells[1].outputs == [.stdout("x\t\"y\"\n")])
        let hash = try store.artifacts(run: 1)[0].hash
        #expect(
            notebook.cells[2].outputs == [
                .stdout("before\n"),
                .chart(name: "bars.svg", svg: Self.svg, text: Self.chartText, sha256: hash, printed: true),
                .stdout("after\n"),
                .chart(name: "quiet.svg", svg: Self.svg, text: "quiet.svg", sha256: hash, printed: false),
            ])
        #expect(
            notebook.cells[3].outputs == [
                .stdout("partial\n"),
                .error(
                    name: "Error", value: "nb.rlhf:3:1: error: unknown function 'boom'",
                    traceback: ["nb.rlhf:3:1: error: unknown function 'boom'", "    3 | boom()"]),
            ])
        let header = notebook.cells[0].source
        #expect(header.hasPrefix("# Run 1 · `nb.rlhf`\n"))
        for fact in [
            "- status: **failed** · 3 cells (cell 3 failed)", "- name: `small`", "- tags: `a`, `b`",
            "- parameters: `{\"steps\":3,\"lr\":0.5}`", "- seed: cell 1: `seed(5)`",
            "- 0 objects with 0 versions · 0 metric points · 2 charts",
        ] {
            #expect(header.contains(fact + "\n"), "\(fact)")
        }
    }

    @Test func jsonIsAnNbformat45NotebookOfTheCells() throws {
        let (store, dir) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let json = try Self.parsed(try JupyterNotebook(store: store, run: 1))
        #expect(json["nbformat"] as? Int == 4 && json["nbformat_minor"] as? Int == 5)
        let metadata = try #require(json["metadata"] as? [String: Any])
        #expect(
            metadata["kernelspec"] as? [String: String] == [
                "name": "rlhf", "display_name": "RLHF Lab", "language": "rlhf",
            ])
        #expect(metadata["language_info"] as? [String: String] == ["name": "rlhf", "file_extension": ".rlhf"])
        let rlhf = try #require(metadata["rlhf"] as? [String: Any])
        #expect(rlhf["run"] as? Int == 1 && rlhf["status"] as? String == "failed" && rlhf["name"] as? String == "small")
        #expect(rlhf["parameters"] as? [String: Double] == ["steps": 3, "lr": 0.5])

        let cells = try #require(json["cells"] as? [[String: Any]])
        #expect(cells.map { $0["cell_type"] as? String } == ["markdown", "code", "code", "code"])
        #expect(cells.dropFirst().map { $0["execution_count"] as? Int } == [1, 2, 3])
        #expect(cells[1]["source"] as? [String] == ["seed(5)\n", "print(\"x\\t\\\"y\\\"\")"])
        let cellMetadata = try #require((cells[3]["metadata"] as? [String: Any])?["rlhf"] as? [String: Any])
        #expect(cellMetadata["status"] as? String == "failed" && cellMetadata["elapsed_ms"] as? Double == 0.25)

        let outputs = try #require(cells[2]["outputs"] as? [[String: Any]])
        #expect(
            outputs.map { $0["output_type"] as? String } == ["stream", "display_data", "stream", "display_data"])
        #expect(outputs[0]["name"] as? String == "stdout" && outputs[0]["text"] as? [String] == ["before\n"])
        let data = try #require(outputs[1]["data"] as? [String: [String]])
        #expect(data["image/svg+xml"]?.joined() == Self.svg)
        #expect(data["text/plain"] == ["▇▇ a\n", "▇ b\n"])
        let failure = try #require((cells[3]["outputs"] as? [[String: Any]])?.last)
        #expect(failure["output_type"] as? String == "error" && failure["ename"] as? String == "Error")
        #expect((failure["traceback"] as? [String])?.joined(separator: "\n").hasSuffix("    3 | boom()") == true)
    }

    /// Keys sorted, one space of indent, a final newline: nbformat's own layout; and the same bytes every time.
    @Test func jsonIsWrittenAsNbformatWritesItTheSameEveryTime() throws {
        let (store, dir) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try JupyterNotebook(store: store, run: 1).json
        #expect(first == (try JupyterNotebook(store: store, run: 1).json))
        #expect(first.hasPrefix("{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\",\n   \"id\": \"header\",\n"))
        #expect(first.hasSuffix("\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n"))
        #expect(first.contains(#""source": [\#n    "seed(5)\n",\#n    "print(\"x\\t\\\"y\\\"\")"\#n   ]"#))
    }

    @Test(
        arguments: [
            ("", []),
            ("a", ["a"]),
            ("a\n", ["a\n"]),
            ("a\nb", ["a\n", "b"]),
            ("a\n\nb\n", ["a\n", "\n", "b\n"]),
            ("a\r\nb\rc", ["a\r\n", "b\r", "c"]),
            ("a\r", ["a\r"]),
            (
                "a\u{0B}b\u{0C}c\u{1C}d\u{85}e\u{2028}f\u{2029}",
                ["a\u{0B}", "b\u{0C}", "c\u{1C}", "d\u{85}", "e\u{2028}", "f\u{2029}"]
            ),
            ("é🙂\nλ", ["é🙂\n", "λ"]),
        ] as [(String, [String])])
    func splitsLinesAsPythonSplitlinesKeepingEnds(text: String, expected: [String]) {
        #expect(JupyterNotebook.splitLines(text) == expected)
        #expect(JupyterNotebook.splitLines(text).joined() == text)
    }

    @Test func sortsKeysByCodePointAtEveryLevel() {
        let value = JSONValue.fields([
            "b": .fields(["z": .null, "a": .null]), "B": .array([.fields(["y": .null, "x": .null])]), "a": .null,
        ])
        #expect(
            JupyterNotebook.sortingKeys(value).compactText
                == "{\"B\":[{\"x\":null,\"y\":null}],\"a\":null,\"b\":{\"a\":null,\"z\":null}}")
    }

    @Test func cellIDsStayUniqueWhenAnOrdinalRepeats() throws {
        let dir = GPT2DirectoryTests.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try LabStore(path: dir + "/lab.sqlite")
        let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
        for _ in 0..<3 {
            _ = try store.commit(
                run: run,
                CellCommit(cell: CellRecord(ordinal: 2, key: "2", title: "", source: "x"), output: "", durationMs: 0))
        }
        let notebook = try JupyterNotebook(store: store, run: run)
        #expect(notebook.cells.map(\.id) == ["header", "cell-2", "cell-2-2", "cell-2-3"])
        #expect(notebook.cells[0].source.hasPrefix("# Run 1 · shell session\n"))
        #expect(notebook.cells[1].outputs.isEmpty)
    }

    /// A cell that failed and one that was cancelled end in an error output named as Jupyter names them: `Error`,
    /// and `Cancelled` for an interrupt (as a kernel's KeyboardInterrupt is named for its cause).
    @Test(arguments: [(CellStatus.failed, "Error"), (CellStatus.cancelled, "Cancelled")])
    func anUnfinishedCellsErrorIsNamedByHowItEnded(status: CellStatus, name: String) throws {
        let dir = GPT2DirectoryTests.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try LabStore(path: dir + "/lab.sqlite")
        let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
        try store.recordFailure(
            run: run, cell: CellRecord(ordinal: 1, key: "1", title: "", source: "train()"), output: "step 1\n",
            error: "stopped at step 2\nmore", durationMs: 3, status: status)
        let notebook = try JupyterNotebook(store: store, run: run)
        #expect(
            notebook.cells[1].outputs == [
                .stdout("step 1\n"),
                .error(name: name, value: "stopped at step 2", traceback: ["stopped at step 2", "more"]),
            ])
    }
}
