import Foundation
import GRDB
import Testing

/// `rlhf export RUN --format ipynb`: a run that printed, drew a chart and failed comes out as an nbformat 4.5 notebook
/// holding what the store holds, the same bytes on every export; every wrong argument gets one `error:` line and
/// leaves the store as it was.
@Suite struct ExportNotebookCLITests {
    static let notebook = """
        # %% [markdown]
        # # Prose is not a stored cell
        # %% setup id=setup
        seed(5)
        print("tab\\there, \\"quoted\\"")
        # %% charts id=charts
        print("before")
        plot.bars(["a", "b"], series: {before: [0.7, 0.6], after: [0.85, 0.8]}, title: "Before & after")
        print("after")
        # %% boom id=boom
        print("partial")
        y = undefined_name + 1
        """

    /// Runs the notebook (its last cell fails) into the test's store.
    static func stored(_ cli: CLI) throws {
        let run = try cli("run", try cli.write("nb.rlhf", notebook))
        #expect(run.status == 1, "\(run.stderr)")
    }

    /// The store's cells of run 1 in execution order: ordinal, source, output, error.
    static func cells(_ cli: CLI) throws -> [Row] {
        let queue = try DatabaseQueue(path: cli.store)
        defer { try? queue.close() }
        return try queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT ordinal, source, output, error, status FROM cells WHERE run_id = 1 ORDER BY id")
        }
    }

    @Test func notebookHoldsTheStoresCellsOutputsAndCharts() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.stored(cli)
        let r = try cli("export", "1", "--format", "ipynb", "-o", "run.ipynb")
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        #expect(r.stdout == "run.ipynb · 3 cells, 1 chart of run 1\n")
        let file = try Data(contentsOf: cli.folder.appendingPathComponent("run.ipynb"))
        let json = try #require(try JSONSerialization.jsonObject(with: file) as? [String: Any])
        #expect(json["nbformat"] as? Int == 4 && json["nbformat_minor"] as? Int == 5)
        let metadata = try #require(json["metadata"] as? [String: Any])
        #expect((metadata["kernelspec"] as? [String: String])?["name"] == "rlhf")
        #expect((metadata["rlhf"] as? [String: Any])?["status"] as? String == "failed")

        let cells = try #require(json["cells"] as? [[String: Any]])
        #expect(cells.map { $0["id"] as? String } == ["header", "cell-1", "cell-2", "cell-3"])
        let title = try #require((cells[0]["source"] as? [String])?.first)
        #expect(title.hasPrefix("# Run 1 · `") && title.hasSuffix("/nb.rlhf`\n"), "\(title)")
        let stored = try Self.cells(cli)
        #expect(stored.count == 3)
        for (cell, row) in zip(cells.dropFirst(), stored) {
            #expect(cell["cell_type"] as? String == "code")
            #expect(cell["execution_count"] as? Int == row["ordinal"])
            #expect((cell["source"] as? [String])?.joined() == row["source"])
            let rlhf = (cell["metadata"] as? [String: Any])?["rlhf"] as? [String: Any]
            #expect(rlhf?["status"] as? String == row["status"])
            // What the cell printed is its streams with each printed chart's terminal drawing where it stood.
            let outputs = try #require(cell["outputs"] as? [[String: Any]])
            let printed = outputs.compactMap { output -> String? in
                switch output["output_type"] as? String {
                case "stream": (output["text"] as? [String])?.joined()
                case "display_data":
                    ((output["metadata"] as? [String: Any])?["rlhf"] as? [String: Any])?["printed"] as? Bool == true
                        ? ((output["data"] as? [String: Any])?["text/plain"] as? [String])?.joined() : nil
                default: nil
                }
            }
            #expect(printed.joined() == row["output"])
            let errors = outputs.filter { $0["output_type"] as? String == "error" }
            let message: String? = row["error"]
            #expect(errors.count == (message == nil ? 0 : 1))
            if let message {
                #expect((errors.first?["traceback"] as? [String])?.joined(separator: "\n") == message)
                #expect(errors.first?["ename"] as? String == "Error")
            }
        }
        // The chart is the SVG `rlhf charts` writes, between the two lines the cell printed around it.
        let outputs = try #require(cells[2]["outputs"] as? [[String: Any]])
        #expect(outputs.map { $0["output_type"] as? String } == ["stream", "display_data", "stream"])
        #expect((outputs[0]["text"] as? [String])?.joined().trimmingCharacters(in: .newlines) == "before")
        let data = try #require(outputs[1]["data"] as? [String: [String]])
        #expect(try cli("charts", "1", "--out", "charts").status == 0)
        let folder = cli.folder.appendingPathComponent("charts")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.count == 1, "\(files)")
        let svg = try String(
            contentsOf: folder.appendingPathComponent(try #require(files.first)), encoding: .utf8)
        #expect(data["image/svg+xml"]?.joined() == svg)
        #expect(data["text/plain"]?.joined().contains("Before & after") == true)
        #expect((outputs[2]["text"] as? [String])?.joined().trimmingCharacters(in: .newlines) == "after")

        // Standard output without -o: the same bytes, every time.
        let printed = try cli("export", "1", "--format", "ipynb")
        #expect(printed.status == 0 && Data(printed.stdout.utf8) == file)
    }

    @Test(
        arguments: [
            (
                ["2", "--format", "ipynb", "-o", "run.ipynb"],
                "error: unknown run '2'"
            ),
            (
                ["1/setup", "--format", "ipynb", "-o", "run.ipynb"],
                "error: '1/setup' is not a run id; --format ipynb exports a whole run, e.g. rlhf export 1 --format "
                    + "ipynb -o run.ipynb"
            ),
            (
                ["1", "--format", "ipynb", "-o", "missing/run.ipynb"],
                "error: cannot write 'missing/run.ipynb': No such file or directory"
            ),
            (["1", "--format", "ipynb", "-o", ""], "error: -o needs the path of a file to write into; it is empty"),
        ] as [([String], String)])
    func refusesWithOneLineAndLeavesTheStore(arguments: [String], expected: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.stored(cli)
        let before = try Data(contentsOf: URL(fileURLWithPath: cli.store))
        let r = try cli.run(["export"] + arguments)
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix(expected), "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.store)) == before)
        #expect(!FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("run.ipynb").path))
    }

    /// An exported run runs again from its notebook: `rlhf run run.ipynb` makes the same cells (keys, titles,
    /// sources) and, the seed being in a cell, the same models to the last bit; a notebook of another nbformat is
    /// one error and no run.
    @Test func anExportedNotebookRunsAgainToTheSameModels() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let source = """
            # %% setup id=setup
            seed(5)
            task = VectorTask(dim: 4, prompts: 16, candidates: 8, test_prompts: 8, contextual: false)
            rm = RewardModel(input: 4, hidden: 6)
            # %% Fit the reward model id=fit
            prefs = collect(task, annotator: Oracle(), pairs: 40)
            fit(rm, prefs, epochs: 3, lr: 1e-2, batch: 8)
            print(accuracy(rm, prefs))
            """
        let first = try cli("run", try cli.write("nb.rlhf", source))
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try cli("export", "1", "-o", "run.ipynb").status == 0)
        let again = try cli("run", "run.ipynb")
        #expect(again.status == 0, "\(again.stderr)")
        let cells = "SELECT group_concat(key || '|' || title || '|' || source, '#') FROM (SELECT * FROM cells "
        #expect(
            try cli.scalar(cells + "WHERE run_id = 2 ORDER BY ordinal)")
                == (try cli.scalar(cells + "WHERE run_id = 1 ORDER BY ordinal)")))
        let hashes =
            "SELECT group_concat(o.name || '@' || v.version || '=' || v.content_hash, ' ') FROM versions v "
            + "JOIN objects o ON o.id = v.object_id WHERE o.run_id = "
        #expect(try cli.scalar(hashes + "2") == (try cli.scalar(hashes + "1")))
        #expect(try cli.scalar(hashes + "1").contains("rm@2="))
        #expect(try cli("replay", "2", "--verify", "--quiet").status == 0)

        _ = try cli.write("old.ipynb", #"{"nbformat": 3, "worksheets": []}"#)
        let old = try cli("run", "old.ipynb")
        #expect(old.status == 1)
        #expect(
            old.stderr == "old.ipynb:1:1: error: nbformat 3: rlhf reads nbformat 4 notebooks "
                + "(Jupyter's format since 2015; `jupyter nbconvert --to notebook` upgrades an older one)\n")
        #expect(try cli.scalar("SELECT count(*) FROM runs") == "3")  // the two runs and the replay
    }
}
