import Engine
import Foundation
import Interop
import Models
import Store
import Testing

/// `rlhf export … --format hf`: a GPT checkpoint committed to a store comes out as the Hugging Face directory the
/// library writes for that model (byte for byte), and every wrong argument gets one `error:` line.
@Suite struct ExportCommandTests {
    static let config = GPTConfig(vocab: 6, layers: 1, heads: 2, dim: 4, context: 3)
    static let tokenizer = CharTokenizer(corpus: "to be\n")

    static func model() -> GPT {
        var rng = RNG(seed: 3)
        var model = GPT(config: config, rng: &rng)
        model.parameters = model.parameters.map { rng.normalTensor($0.shape, scale: 1) }
        return model
    }

    static func stored(_ dict: StateDict) -> Checkpoint {
        let config = dict.config.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }
        return Checkpoint(
            kind: dict.kind, config: "{" + config.joined(separator: ",") + "}",
            tensors: dict.tensors.map { StoredTensor(name: $0.name, shape: $0.tensor.shape, values: $0.tensor.data) })
    }

    /// A store whose run 1 holds `lm` (a GPT, with AdamW state) and `policy` (an MLP).
    static func store(_ cli: CLI) throws {
        let store = try LabStore(path: cli.store)
        let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
        var rng = RNG(seed: 1)
        let policy = PolicyModel(input: 2, hidden: 3, output: 2, rng: &rng)
        let lm = model()
        let adam = Adam(step: 2, m: lm.parameters, v: lm.parameters)
        _ = try store.commit(
            run: run,
            CellCommit(
                cell: CellRecord(ordinal: 1, key: "1", title: "", source: "lm = GPT(…)"), output: "", durationMs: 0,
                objects: [
                    ("lm", .checkpoint(stored(lm.stateDict(tokenizer: tokenizer, optimizer: adam)))),
                    ("policy", .checkpoint(stored(policy.stateDict))),
                ]))
    }

    @Test func exportsTheDirectoryTheLibraryWrites() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.store(cli)
        let r = try cli("export", "1/lm", "--format", "hf", "-o", "out")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        let names = ["config.json", "model.safetensors", "vocab.json", "tokenizer.json", "tokenizer_config.json"]
        #expect(r.stdout.split(separator: "\n").map { String($0.split(separator: "/").last ?? "") } == names)
        let hash = try cli.scalar("SELECT content_hash FROM versions WHERE kind = 'gpt'")
        let expected = try GPT2Directory.files(
            Self.model(), tokenizer: Self.tokenizer,
            metadata: [("rlhf.source", "1/lm@1"), ("rlhf.content_hash", hash)])
        for (name, data) in expected {
            #expect(try Data(contentsOf: cli.folder.appendingPathComponent("out/\(name)")) == data, "\(name)")
        }
    }

    @Test(
        arguments: [
            (
                ["1/policy", "--format", "hf", "-o", "out"],
                "error: 1/policy@1 is a 'policy' checkpoint; --format hf exports 'gpt' checkpoints only"
            ),
            (
                ["1/lm", "--format", "onnx", "-o", "out"],
                "error: unknown format 'onnx'; use --format safetensors, --format hf, --format jsonl, --format task, --format ipynb"
            ),
            (
                ["1/lm", "--format", "hf", "-o", ""],
                "error: -o needs the path of a directory to write into; it is empty"
            ),
            (["1/lm@2", "--format", "hf", "-o", "out"], nil),
            (["1-lm", "--format", "hf", "-o", "out"], nil),
        ] as [([String], String?)])
    func refusesWithOneLine(arguments: [String], expected: String?) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.store(cli)
        let r = try cli.run(["export"] + arguments)
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(r.stderr)")
        if let expected { #expect(r.stderr == expected + "\n") }
        #expect(!FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("out").path))
    }
}
