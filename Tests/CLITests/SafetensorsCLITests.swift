import Foundation
import Interop
import Store
import Testing

/// `rlhf export RUN/NAME -o FILE.safetensors`, `rlhf import FILE.safetensors --as NAME`, and the cell built-ins
/// `save` and `load_safetensors`, on the binary and a temporary store.
@Suite struct SafetensorsCLITests {
    static let notebook = """
        # %% setup id=setup
        seed(5)
        task = VectorTask(dim: 4, prompts: 16, candidates: 8, test_prompts: 8, contextual: false)
        policy = PolicyModel(input: 4, hidden: 6, output: 4)
        rm = RewardModel(input: 4, hidden: 6)
        prefs = collect(task, annotator: Oracle(), pairs: 40)
        fit(rm, prefs, epochs: 3, lr: 1e-2, batch: 8)
        """

    /// Run 1 of a fresh store holds `rm` trained three epochs (with Adam's state) and an untrained `policy`.
    static func trained(_ cli: CLI) throws {
        let r = try cli("run", try cli.write("nb.rlhf", notebook), "--quiet")
        #expect(r.status == 0, "\(r.stderr)")
    }

    static func hash(_ cli: CLI, _ run: Int, _ name: String) throws -> String {
        try cli.scalar(
            "SELECT v.content_hash FROM versions v JOIN objects o ON o.id = v.object_id WHERE o.run_id = \(run) "
                + "AND o.name = '\(name)' ORDER BY v.version DESC LIMIT 1")
    }

    @Test func exportWritesTheStoredTensorsInPyTorchLayouts() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.trained(cli)
        let r = try cli("export", "1/rm", "-o", "rm.safetensors")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "rm.safetensors · 1/rm@1 (reward)\n")
        let file = try Safetensors(contentsOf: cli.folder.appendingPathComponent("rm.safetensors"))
        let (_, stored) = try LabStore(path: cli.store).checkpoint(VersionRef(parsing: "1/rm"))
        #expect(file.tensors.map(\.name) == ["layer1.bias", "layer1.weight", "layer2.bias", "layer2.weight"])
        #expect(file.tensors.map(\.shape) == [[6], [6, 4], [1], [1, 6]])
        for tensor in file.tensors {
            #expect(stored.tensors.first { $0.name == tensor.name }?.values == tensor.values, "\(tensor.name)")
        }
        let metadata = Dictionary(uniqueKeysWithValues: file.metadata.map { ($0.key, $0.value) })
        #expect(metadata["format"] == "pt" && metadata["rlhf.kind"] == "reward")
        #expect(metadata["rlhf.config"] == #"{"hidden":6,"input":4,"output":1}"#)
        #expect(metadata["rlhf.source"] == "1/rm@1")
        #expect(metadata["rlhf.content_hash"] == (try Self.hash(cli, 1, "rm")))
    }

    /// Exported with Adam's state and imported, a model is the same content: the same hash as the original version.
    @Test func importOfAnExportWithTheOptimizerIsTheSameContent() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.trained(cli)
        #expect(try cli("export", "1/rm", "-o", "rm.safetensors", "--with-optimizer").status == 0)
        let r = try cli("import", "rm.safetensors", "--as", "rm2")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasSuffix("imported rm.safetensors as 2/rm2@1\n"), "\(r.stdout)")
        #expect(try Self.hash(cli, 2, "rm2") == (try Self.hash(cli, 1, "rm")))
        #expect(try cli("replay", "2", "--verify", "--quiet").status == 0)
    }

    /// `save` then `load_safetensors` in cells: the loaded model scores the pairs exactly as the saved one does, and
    /// `as:` reads a file without metadata, as PyTorch writes one.
    @Test func saveAndLoadInCells() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let source =
            Self.notebook + """

                # %% save id=save
                path = save(rm, "out/rm.safetensors")
                back = load_safetensors("out/rm.safetensors")
                print(path, accuracy(rm, prefs) == accuracy(back, prefs), back.trained_steps, back.hidden)
                with_adam = load_safetensors(save(rm, "out/rm-adam.safetensors", optimizer: true), as: "RewardModel")
                print(with_adam.trained_steps)
                """
        try FileManager.default.createDirectory(
            at: cli.folder.appendingPathComponent("nbs/out"), withIntermediateDirectories: true)
        _ = try cli.write("nbs/save.rlhf", source)
        let r = try cli("run", "nbs/save.rlhf", "--quiet")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("out/rm.safetensors true 0 6\n"), "\(r.stdout)")
        #expect(r.stdout.contains("\n15\n"), "\(r.stdout)")
        #expect(try Self.hash(cli, 1, "with_adam") == (try Self.hash(cli, 1, "rm")))
    }

    @Test func aPyTorchFileWithoutMetadataNeedsItsType() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.trained(cli)
        #expect(try cli("export", "1/policy", "-o", "p.safetensors").status == 0)
        let url = cli.folder.appendingPathComponent("p.safetensors")
        var file = try Safetensors(contentsOf: url)
        file.metadata = [("format", "pt")]
        try Data(try file.encoded()).write(to: url)
        let refused = try cli("import", "p.safetensors", "--as", "p")
        #expect(refused.status != 0)
        #expect(refused.stderr.hasPrefix("error: cannot load '") && refused.stderr.hasSuffix("name the type\n"))
        let r = try cli("import", "p.safetensors", "--as", "p", "--type", "PolicyModel")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.hash(cli, 2, "p") == (try Self.hash(cli, 1, "policy")))
    }

    @Test(
        arguments: [
            (
                ["export", "1/rm"],
                "error: say which format to write: --format safetensors, --format hf, --format jsonl, --format task, --format ipynb, or -o with a .safetensors, .jsonl or .ipynb name"
            ),
            (
                ["export", "1/rm", "-o", "x.onnx"],
                "error: say which format to write: --format safetensors, --format hf, --format jsonl, --format task, --format ipynb, or -o with a .safetensors, .jsonl or .ipynb name"
            ),
            (
                ["export", "1/rm", "--format", "safetensors"],
                "error: --format safetensors needs -o FILE.safetensors, the file to write"
            ),
            (["export", "1/prefs", "-o", "x.safetensors"], nil),
            (["export", "1/rm", "-o", "x.jsonl"], nil),
            (
                ["export", "1/rm", "-o", "x.jsonl", "--with-optimizer"],
                "error: --with-optimizer applies to --format safetensors only"
            ),
            (["import", "missing.safetensors", "--as", "m"], nil),
            (["import", "bad.safetensors", "--as", "m"], nil),
            (["import", "rm.safetensors", "--as", "m", "--type", "Policy"], nil),
            (
                ["import", "rm.safetensors", "--as", "m", "--type", "PolicyModel"],
                "error: cannot load '*': the file holds a 'reward' checkpoint (its rlhf.kind), not a 'policy'"
            ),
            (
                ["import", "extra.safetensors", "--as", "m"],
                "error: cannot load '*': its tensor 'layer3.weight' is not part of a RewardModel"
            ),
        ] as [([String], String?)])
    func refusesWithOneLineAndLeavesTheStore(arguments: [String], expected: String?) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.trained(cli)
        #expect(try cli("export", "1/rm", "-o", "rm.safetensors").status == 0)
        let good = try Data(contentsOf: cli.folder.appendingPathComponent("rm.safetensors"))
        try good.prefix(good.count - 3).write(to: cli.folder.appendingPathComponent("bad.safetensors"))
        var extra = try Safetensors(bytes: [UInt8](good))
        extra.tensors.append(.init(name: "layer3.weight", shape: [1], values: [0]))
        try Data(try extra.encoded()).write(to: cli.folder.appendingPathComponent("extra.safetensors"))
        let before = try cli.scalar("SELECT count(*) || ' ' || (SELECT count(*) FROM versions) FROM runs")
        let r = try cli.run(arguments)
        #expect(r.status != 0)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(r.stderr)")
        if let expected {
            let parts = expected.split(separator: "*", omittingEmptySubsequences: false)
            #expect(r.stderr.hasPrefix(parts[0]) && r.stderr.hasSuffix(parts[parts.count - 1] + "\n"), "\(r.stderr)")
        }
        #expect(try cli.scalar("SELECT count(*) || ' ' || (SELECT count(*) FROM versions) FROM runs") == before)
        #expect(!FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("x.safetensors").path))
    }
}
