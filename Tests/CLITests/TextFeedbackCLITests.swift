import Foundation
import Store
import Testing

/// Text preferences through the built executable: a notebook collects pairs of continuations from a GPT; the run
/// replays and resumes bitwise; `blame`, `diff` and `query` show the words (cut in tables, whole in JSON); and
/// `export --format jsonl` writes TRL's records, equal to the store's rows.
@Suite struct TextFeedbackCLITests {
    static let text = String(
        repeating: "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n", count: 8)

    static let notebook = """
        # %% setup id=setup
        seed(3)
        c = Corpus(file: "t.txt")
        lm = GPT(vocab: c, layers: 1, heads: 2, dim: 8, context: 24)
        task = TextTask(c, policy: lm, prompt_chars: 12, continuation: 10, prompts: 16, test_prompts: 4)
        print(task.prompts, task.test_prompts, len(task.prompt_texts[0]), task.objective)
        # %% collect id=collect
        prefs = collect(task, policy: lm, annotator: BradleyTerry(noise: 0.1), pairs: 6)
        # %% more id=more
        prefs = collect(task, policy: lm, annotator: Biased(toward: "length", weight: 1.0), pairs: 3, into: prefs, temperature: 0.8, top_k: 5)
        print(prefs.count, label_agreement(prefs, task) >= 0)
        """

    static func ranNotebook() throws -> CLI {
        let cli = try CLI()
        try text.write(to: cli.folder.appendingPathComponent("t.txt"), atomically: true, encoding: .utf8)
        let r = try cli("run", try cli.write("text.rlhf", notebook))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("16 4 12 positive"), "\(r.stdout)")
        #expect(r.stdout.contains("9 true"), "\(r.stdout)")
        return cli
    }

    /// The store's text rows at the latest version, read with the library (uid order).
    static func rows(_ cli: CLI, _ ref: String = "1/prefs") throws -> [FeedbackRow] {
        try LabStore.openReadOnly(path: cli.store).datasetRows(VersionRef(parsing: ref)).1
    }

    @Test func textRowsAreStoredWithTheirWordsAndSampling() throws {
        let cli = try Self.ranNotebook()
        defer { cli.remove() }
        let rows = try Self.rows(cli)
        #expect(rows.count == 9)
        for row in rows {
            let text = try #require(row.text)
            #expect(text.prompt.unicodeScalars.count == 12)
            #expect(text.chosen.unicodeScalars.count == 10 && text.rejected.unicodeScalars.count == 10)
            #expect(row.chosen.count == 10 && row.rejected.count == 10)
            #expect(text.sampling == (row.uid <= 6 ? "temperature: 1.0" : "temperature: 0.8, top_k: 5"))
            // The prompt is a window of the corpus ending at a word boundary.
            #expect(Self.text.contains(text.prompt + " ") || Self.text.contains(text.prompt + "\n"))
        }
        #expect(
            rows.map(\.annotator) == Array(repeating: "bradleyTerry(noise: 0.1)", count: 6)
                + Array(repeating: "biased(toward: length, weight: 1.0)", count: 3))
    }

    @Test func aTextRunReplaysAndResumesBitwise() throws {
        let cli = try Self.ranNotebook()
        defer { cli.remove() }
        let replay = try cli("replay", "1", "--verify", "--quiet")
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("2 dataset versions"), "\(replay.stdout)")
        let resumed = try cli(
            "run", cli.folder.appendingPathComponent("text.rlhf").path, "--resume", "1", "--from-cell", "3", "--quiet")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let hashes = try cli(
            "query",
            "SELECT o.run_id, v.content_hash FROM versions v JOIN objects o ON o.id = v.object_id "
                + "WHERE o.name = 'prefs' AND v.version = (SELECT max(version) FROM versions WHERE object_id = o.id) "
                + "ORDER BY o.run_id", "--csv")
        let lines = hashes.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").last }
        #expect(lines.count == 3 && Set(lines).count == 1, "\(hashes.stdout)")
    }

    /// blame's table cuts the words (the prompt to its end, continuations to their start); its JSON has them whole.
    @Test func blameShowsTheWords() throws {
        let cli = try Self.ranNotebook()
        defer { cli.remove() }
        let rows = try Self.rows(cli)
        let table = try cli("blame", "1/prefs")
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        let header = lines[1].split(separator: " ", omittingEmptySubsequences: true).suffix(5)
        #expect(header == ["RELABELS", "PROMPT", "TEXT", "CHOSEN", "REJECTED"], "\(lines[1])")
        for (line, row) in zip(lines.dropFirst(2), rows) {
            let text = try #require(row.text)
            let shown = [text.prompt, text.chosen, text.rejected].map {
                "\"" + $0.replacingOccurrences(of: "\n", with: "\\n") + "\""
            }
            #expect(line.hasPrefix("\(row.uid) "))
            #expect(shown.allSatisfy { line.contains($0) }, "\(line)")
        }
        let json = try cli("blame", "1/prefs", "--json")
        let decoded = try JSONDecoder().decode([BlameLine].self, from: Data(json.stdout.utf8))
        #expect(decoded.map(\.text) == rows.map(\.text))
    }

    @Test func diffOfTwoVersionsShowsTheAddedWords() throws {
        let cli = try Self.ranNotebook()
        defer { cli.remove() }
        let rows = try Self.rows(cli)
        let r = try cli("diff", "1/prefs@1", "1/prefs@2")
        #expect(r.status == 0, "\(r.stderr)")
        let added = r.stdout.split(separator: "\n").filter { $0.hasPrefix("  + ") }.map(String.init)
        #expect(added.count == 3)
        for (line, row) in zip(added, rows.suffix(3)) {
            let text = try #require(row.text)
            func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\n", with: "\\n") + "\"" }
            #expect(
                line == "  + uid \(row.uid)  prompt \(row.prompt)  \(row.annotator)  \(q(text.prompt)) → "
                    + "\(q(text.chosen)) ≻ \(q(text.rejected))")
        }
    }

    /// `rlhf query`'s table cuts a cell past 60 characters to 59 and `…`; `--json` keeps all of it.
    @Test func queryCutsLongTextInTablesOnly() throws {
        let cli = try Self.ranNotebook()
        defer { cli.remove() }
        let sql = "SELECT group_concat(chosen_text, '|') AS all_chosen FROM v_feedback"
        let table = try cli("query", sql)
        let whole = try Self.rows(cli).compactMap(\.text?.chosen).joined(separator: "|")
        let shown = whole.replacingOccurrences(of: "\n", with: "\\n")
        #expect(table.stdout == "all_chosen\n" + String(shown.prefix(59)) + "…\n")
        let json = try cli("query", sql, "--json")
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: String]]
        #expect(parsed?.first?["all_chosen"] == whole)
    }

    /// Each line is one JSON object: TRL's fields, then provenance; in uid order; equal to the store's rows.
    @Test(arguments: ["1/prefs", "1/prefs@1"])
    func exportJSONLinesEqualsTheStoresRows(ref: String) throws {
        let cli = try Self.ranNotebook()
        defer { cli.remove() }
        let rows = try Self.rows(cli, ref)
        let version = ref.hasSuffix("@1") ? 1 : 2
        let r = try cli("export", ref, "--format", "jsonl")
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == rows.count)
        for (line, row) in zip(lines, rows) {
            let text = try #require(row.text)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["prompt"] as? String == text.prompt)
            #expect(object["chosen"] as? String == text.chosen)
            #expect(object["rejected"] as? String == text.rejected)
            #expect((object["uid"] as? NSNumber)?.int64Value == row.uid)
            #expect(object["annotator"] as? String == row.annotator)
            #expect(object["seed"] as? String == String(row.seed))
            #expect((object["version"] as? NSNumber)?.intValue == version)
            #expect(line.hasPrefix("{\"prompt\":") && line.contains(",\"chosen\":"))
        }
        // -o writes the same lines to a file and says so.
        let file = try cli("export", ref, "--format", "jsonl", "-o", "prefs.jsonl")
        #expect(file.status == 0, "\(file.stderr)")
        #expect(file.stdout == "prefs.jsonl · \(rows.count) rows of 1/prefs@\(version)\n")
        let written = try String(contentsOf: cli.folder.appendingPathComponent("prefs.jsonl"), encoding: .utf8)
        #expect(written == r.stdout)
        try Self.checkWithPython(cli, file: "prefs.jsonl", ref: "1/prefs@\(version)")
    }

    /// A vector dataset's rows export their prompt index and their values as arrays of numbers, each read back to
    /// the stored Float32 exactly.
    @Test func vectorPreferencesExportAsArrays() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let source = """
            # %% setup id=setup
            seed(5)
            task = VectorTask(dim: 3, prompts: 8, candidates: 4, test_prompts: 4, contextual: false)
            prefs = collect(task, annotator: Oracle(), pairs: 5)
            """
        #expect(try cli("run", try cli.write("v.rlhf", source), "--quiet").status == 0)
        let rows = try Self.rows(cli)
        let r = try cli("export", "1/prefs", "--format", "jsonl", "-o", "v.jsonl")
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOf: cli.folder.appendingPathComponent("v.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == 5)
        for (line, row) in zip(lines, rows) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect((object["prompt"] as? NSNumber)?.intValue == row.prompt)
            #expect((object["chosen"] as? [NSNumber])?.map(\.floatValue) == row.chosen)
            #expect((object["rejected"] as? [NSNumber])?.map(\.floatValue) == row.rejected)
            #expect(object["seed"] as? String == String(row.seed))
        }
        try Self.checkWithPython(cli, file: "v.jsonl", ref: "1/prefs@1")
    }

    /// `scripts/check_prefs_jsonl.py`: Python's json and sqlite3 agree with the file (skipped without python3).
    static func checkWithPython(_ cli: CLI, file: String, ref: String) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/check_prefs_jsonl.py")
        let r = try BoundedProcess.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            arguments: ["python3", script.path, file, "--store", cli.store, "--ref", ref], in: cli.folder, stdin: nil,
            environment: [:], timeout: 300)
        if r.status == 127 { return }  // no python3 on this machine
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("records equal the store's rows at \(ref)"), "\(r.stdout)")
    }
}
