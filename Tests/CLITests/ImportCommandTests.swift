import Engine
import Foundation
import Interop
import Models
import Store
import Testing

/// `rlhf import DIR --as NAME` and `load_hf(DIR)`: what `rlhf export` wrote comes back bit for bit as a versioned
/// GPT; a bad directory or name is one `error:` line and leaves the store as it was.
@Suite struct ImportCommandTests {
    @Test func importsWhatExportWroteBitForBit() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try ExportCommandTests.store(cli)
        #expect(try cli("export", "1/lm", "--format", "hf", "-o", "out").status == 0)
        let r = try cli("import", "out", "--as", "copy")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "imported out as 2/copy@1\n")
        let (_, checkpoint) = try LabStore.openReadOnly(path: cli.store).checkpoint(VersionRef(parsing: "2/copy@1"))
        let (model, tokenizer, optimizer) = try GPT.load(StateDict(checkpoint: checkpoint))
        #expect(optimizer == nil)
        #expect(tokenizer == ExportCommandTests.tokenizer)
        #expect(model.config == ExportCommandTests.config)
        #expect(
            model.parameters.map { $0.data.map(\.bitPattern) }
                == ExportCommandTests.model().parameters.map { $0.data.map(\.bitPattern) })
        // The run is an ordinary one: its source is the cell that loaded the directory, and it replays.
        let source = try cli.scalar("SELECT source FROM cells WHERE run_id = 2")
        let absolute = cli.folder.appendingPathComponent("out").standardizedFileURL.path
        #expect(source == "\"copy = load_hf(\"\"\(absolute)\"\")\"")  // CSV doubles the quotes
        #expect(try cli("replay", "2", "--verify", "--quiet").status == 0)
        // Exported again, the files are the same but for the provenance in the safetensors metadata.
        #expect(try cli("export", "2/copy", "--format", "hf", "-o", "again").status == 0)
        for name in ["config.json", "vocab.json", "tokenizer.json", "tokenizer_config.json"] {
            #expect(
                try Data(contentsOf: cli.folder.appendingPathComponent("out/\(name)"))
                    == Data(contentsOf: cli.folder.appendingPathComponent("again/\(name)")), "\(name)")
        }
        let first = try Safetensors(contentsOf: cli.folder.appendingPathComponent("out/model.safetensors"))
        let second = try Safetensors(contentsOf: cli.folder.appendingPathComponent("again/model.safetensors"))
        #expect(first.tensors == second.tensors)
        #expect(second.metadata.first { $0.key == "rlhf.source" }?.value == "2/copy@1")
    }

    @Test(arguments: [
        (["nowhere", "--as", "lm"], "error: nowhere/config.json: cannot read it: No such file or directory"),
        (
            ["out", "--as", "3x"],
            "error: --as '3x' is not a variable name (letters, digits and _, not starting with a digit)"
        ),
        (["out", "--as", "if"], "error: --as 'if' cannot be bound: unexpected '='"),
        (
            ["", "--as", "lm"],
            "error: the path to import is empty; give a .safetensors or .jsonl file or a Hugging Face directory"
        ),
    ])
    func refusesWithOneLineAndNoRun(arguments: [String], expected: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try ExportCommandTests.store(cli)
        #expect(try cli("export", "1/lm", "--format", "hf", "-o", "out").status == 0)
        let r = try cli.run(["import"] + arguments)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == expected + "\n")
        #expect(try cli.scalar("SELECT count(*) FROM runs") == "1")
    }

    @Test func loadHFInACellResolvesAgainstTheNotebookAndQuotesTheProblem() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try ExportCommandTests.store(cli)
        #expect(try cli("export", "1/lm", "--format", "hf", "-o", "models/out").status == 0)
        try FileManager.default.createDirectory(
            at: cli.folder.appendingPathComponent("nb"), withIntermediateDirectories: true)
        let good = try cli.write(
            "nb/good.rlhf", "lm = load_hf(\"../models/out\")\nprint(lm.parameters, lm.vocabulary)\n")
        let r = try cli("run", good, "--quiet")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "\(ExportCommandTests.model().parameterCount) \n beot\n")
        let bad = try cli.write("nb/bad.rlhf", "lm = load_hf(\"../models/none\")\n")
        let failed = try cli("run", bad, "--quiet")
        #expect(failed.status == 1)
        let missing = cli.folder.appendingPathComponent("models/none").path
        #expect(
            failed.stderr.hasPrefix(
                "\(bad):1:14: error: load_hf(): argument 'dir' cannot be loaded: "
                    + "\(missing)/config.json: cannot read it: No such file or directory"),
            "\(failed.stderr)")
    }
}
