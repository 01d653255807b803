import Foundation
import Store
import Testing

/// `rlhf import FILE.jsonl --as NAME [--skip-bad]` and `load_preferences` in cells, on the binary and a temporary
/// store: an exported dataset comes back with the same content hash; a bad file names every bad line and changes
/// nothing; TRL's bare text records train a text reward model exactly as the stored token ids do.
@Suite struct PreferenceImportCLITests {
    static func hash(_ cli: CLI, _ run: Int, _ name: String, version: Int? = nil) throws -> String {
        let pinned = version.map { "AND v.version = \($0)" } ?? ""
        return try cli.scalar(
            "SELECT v.content_hash FROM versions v JOIN objects o ON o.id = v.object_id WHERE o.run_id = \(run) "
                + "AND o.name = '\(name)' \(pinned) ORDER BY v.version DESC LIMIT 1")
    }

    /// A vector dataset (Float values of every magnitude) exported and imported is the same content, and the
    /// importing run replays bitwise.
    @Test func aVectorDatasetRoundTripsWithItsContentHash() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try SafetensorsCLITests.trained(cli)
        #expect(try cli("export", "1/prefs", "-o", "prefs.jsonl").status == 0)
        let r = try cli("import", "prefs.jsonl", "--as", "back")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasSuffix("imported prefs.jsonl as 2/back@1 (40 pairs)\n"), "\(r.stdout)")
        #expect(try Self.hash(cli, 2, "back") == (try Self.hash(cli, 1, "prefs")))
        #expect(try cli("replay", "2", "--verify", "--quiet").status == 0)
        let source = try cli.scalar("SELECT source FROM cells WHERE run_id = 2")
        // (A CSV field, its quotes doubled.)
        let path = cli.folder.appendingPathComponent("prefs.jsonl").path
        #expect(source == "\"back = load_preferences(\"\"\(path)\"\")\"")
    }

    /// Text rows come back with their words, token ids, prompt index and sampling: the same content hash, at the
    /// latest version and at an earlier one.
    @Test(arguments: [1, 2])
    func aTextDatasetRoundTripsWithItsContentHash(version: Int) throws {
        let cli = try TextFeedbackCLITests.ranNotebook()
        defer { cli.remove() }
        #expect(try cli("export", "1/prefs@\(version)", "-o", "prefs.jsonl").status == 0)
        let r = try cli("import", "prefs.jsonl", "--as", "prefs")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.hash(cli, 2, "prefs") == (try Self.hash(cli, 1, "prefs", version: version)))
        let rows = try LabStore.openReadOnly(path: cli.store).datasetRows(VersionRef(parsing: "2/prefs")).1
        #expect(rows == (try TextFeedbackCLITests.rows(cli, "1/prefs@\(version)")))
    }

    /// Without --skip-bad every bad line is named on stderr and nothing is written; with it the good lines are
    /// imported and the bad ones named as warnings.
    @Test func badLinesAreNamedAndImportNothingUnlessSkipped() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try SafetensorsCLITests.trained(cli)
        let lines = [
            #"{"prompt":1,"chosen":[1,2],"rejected":[3,4]}"#, "not json",
            #"{"prompt":2,"chosen":[5,6],"rejected":[7,8]}"#,
            #"{"prompt":2,"chosen":[5],"rejected":[7]}"#,
        ]
        _ = try cli.write("mixed.jsonl", lines.joined(separator: "\n") + "\n")
        let before = try Data(contentsOf: URL(fileURLWithPath: cli.store))
        let refused = try cli("import", "mixed.jsonl", "--as", "imported")
        #expect(refused.status == 1)
        #expect(refused.stdout.isEmpty)
        #expect(
            refused.stderr == """
                mixed.jsonl:2: error: not JSON: unexpected character 'n' at byte 0
                mixed.jsonl:4: error: responses of 1 numbers, but line 1's have 2; every vector pair of a dataset has one length
                error: mixed.jsonl has 2 bad lines; nothing imported (mend them, or add --skip-bad to import the 2 good ones)

                """)
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.store)) == before)

        let skipped = try cli("import", "mixed.jsonl", "--as", "imported", "--skip-bad")
        #expect(skipped.status == 0, "\(skipped.stderr)")
        #expect(skipped.stderr.hasPrefix("mixed.jsonl:2: warning: not JSON"), "\(skipped.stderr)")
        #expect(skipped.stdout.hasSuffix("imported mixed.jsonl as 2/imported@1 (2 pairs, 2 bad lines left out)\n"))
        let rows = try LabStore.openReadOnly(path: cli.store).datasetRows(VersionRef(parsing: "2/imported")).1
        #expect(rows.map(\.uid) == [1, 3])
        #expect(rows.map(\.chosen) == [[1, 2], [5, 6]])
        #expect(try cli("replay", "2", "--verify", "--quiet").status == 0)
    }

    /// Whole-file refusals: one line, exit 1, no run.
    @Test(arguments: [
        (["import", "missing.jsonl", "--as", "p"], "error: cannot load '{DIR}/missing.jsonl': no such file"),
        (
            ["import", "blank.jsonl", "--as", "p"],
            "error: cannot load '{DIR}/blank.jsonl': it holds no preference record (every line is blank)"
        ),
        (
            ["import", "one-bad.jsonl", "--as", "p", "--skip-bad"],
            "error: one-bad.jsonl holds no good line; nothing imported"
        ),
        (
            ["import", "one-bad.jsonl", "--as", "p", "--type", "RewardModel"],
            "error: --type applies to a .safetensors file; a .jsonl file holds preferences"
        ),
        (
            ["import", "rm.safetensors", "--as", "p", "--skip-bad"],
            "error: --skip-bad applies to a .jsonl file of preferences"
        ),
    ])
    func aFileThatCannotBeImportedIsOneError(arguments: [String], message: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        _ = try cli.write("blank.jsonl", "\n  \n")
        _ = try cli.write("one-bad.jsonl", "{}\n")
        _ = try cli.write("rm.safetensors", "")
        let r = try cli.run(arguments)
        #expect(r.status == 1)
        let expected = message.replacingOccurrences(of: "{DIR}", with: cli.folder.path)
        #expect(r.stderr.split(separator: "\n").last.map(String.init) == expected, "\(r.stderr)")
        // Refused before the store is opened: no store file is made.
        #expect(!FileManager.default.fileExists(atPath: cli.store))
    }

    /// TRL's bare records (words only, no token ids) train a text reward model exactly as the same pairs with their
    /// stored ids do: the reward model encodes the words with its tokenizer. In a cell, a bad line is refused with
    /// its number unless skip_bad: true.
    @Test func bareTextRecordsTrainLikeTheStoredTokens() throws {
        let cli = try TextFeedbackCLITests.ranNotebook()
        defer { cli.remove() }
        #expect(try cli("export", "1/prefs", "-o", "with.jsonl").status == 0)
        let exported = try String(contentsOf: cli.folder.appendingPathComponent("with.jsonl"), encoding: .utf8)
        let bare = try exported.split(separator: "\n").map { line -> String in
            var object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in [
                "prompt_index", "chosen_tokens", "rejected_tokens", "sampling", "uid", "annotator", "seed", "version",
            ] {
                object[key] = nil
            }
            return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        _ = try cli.write("bare.jsonl", bare.joined(separator: "\n") + "\n")
        _ = try cli.write("bad.jsonl", bare.joined(separator: "\n") + "\n{\"prompt\": 3}\n")
        let cells = """
            # %% load id=load
            a = load_preferences("with.jsonl")
            b = load_preferences("bare.jsonl")
            c = load_preferences("bad.jsonl", skip_bad: true)
            print(a.count, b.count, c.count, b.annotators)
            # %% fit id=fit
            seed(9)
            rm_a = TextRewardModel(lm)
            print(fit(rm_a, a, epochs: 2, lr: 1e-2, batch: 3))
            seed(9)
            rm_b = TextRewardModel(lm)
            print(fit(rm_b, b, epochs: 2, lr: 1e-2, batch: 3))
            print(accuracy(rm_a, a) == accuracy(rm_b, b))
            # %% refuse id=refuse
            d = load_preferences("bad.jsonl")
            """
        let r = try cli("run", try cli.write("more.rlhf", TextFeedbackCLITests.notebook + "\n" + cells))
        #expect(r.stdout.contains("9 9 9 [\"imported\"]"), "\(r.stdout)")
        // The two fits print the same summary, and the two models (weights and Adam's state) are the same content.
        let lines = r.stdout.split(separator: "\n")
        let fits = try #require(lines.firstIndex { $0.contains("── [5/6] fit") })
        #expect(lines[fits + 1] == lines[fits + 2] && lines[fits + 3] == "true", "\(r.stdout)")
        #expect(try Self.hash(cli, 2, "rm_a") == (try Self.hash(cli, 2, "rm_b")))
        #expect(r.status == 1)
        #expect(
            r.stderr.contains(
                "error: load_preferences(): argument 'file' cannot be loaded: 1 bad line (line 10: no 'chosen'); mend them, or skip "
                    + "them with skip_bad: true"),
            "\(r.stderr)")
    }
}
