import Engine
import Foundation
import Models
import Store
import Testing

@testable import Interop

/// `rlhf export`'s work: a GPT checkpoint committed to a store comes out as a Hugging Face directory that reads back
/// bit for bit; other kinds are refused naming the kind.
struct ModelExportTests {
    /// A checkpoint as the lab stores one: config as sorted-key JSON of integers, tensors sorted by name.
    static func checkpoint(_ dict: StateDict) -> Checkpoint {
        let config = dict.config.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }
        return Checkpoint(
            kind: dict.kind, config: "{" + config.joined(separator: ",") + "}",
            tensors: dict.tensors.map { StoredTensor(name: $0.name, shape: $0.tensor.shape, values: $0.tensor.data) })
    }

    static func store(with objects: [(String, Checkpoint)]) throws -> (LabStore, String) {
        let dir = GPT2DirectoryTests.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let store = try LabStore(path: dir + "/lab.sqlite")
        let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
        _ = try store.commit(
            run: run,
            CellCommit(
                cell: CellRecord(ordinal: 1, key: "1", title: "", source: "lm = GPT(…)"), output: "", durationMs: 0,
                objects: objects.map { ($0.0, .checkpoint($0.1)) }))
        return (store, dir)
    }

    @Test func exportsAStoredGPTBitwise() throws {
        let model = GPT2DirectoryTests.model(seed: 11)
        let tokenizer = GPT2DirectoryTests.tokenizer
        let adam = Adam(step: 3, m: model.parameters, v: model.parameters)
        let (store, dir) = try Self.store(with: [
            ("lm", Self.checkpoint(model.stateDict(tokenizer: tokenizer, optimizer: adam)))
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (info, checkpoint) = try store.checkpoint(VersionRef(parsing: "1/lm@1"))
        let files = try ModelExport.hf.export(checkpoint, info: info, to: dir + "/hf")
        #expect(files.count == 5)
        let (back, backTokenizer) = try GPT2Directory.read(from: dir + "/hf")
        #expect(back.config == model.config)
        #expect(back.parameters.map { $0.data.map(\.bitPattern) } == model.parameters.map { $0.data.map(\.bitPattern) })
        #expect(backTokenizer == tokenizer)
        let weights = try Safetensors(contentsOf: URL(fileURLWithPath: dir + "/hf/model.safetensors"))
        #expect(weights.metadata.map(\.key) == ["format", "rlhf.content_hash", "rlhf.source"])
        #expect(weights.metadata.map(\.value) == ["pt", info.contentHash, "1/lm@1"])
    }

    @Test func refusesOtherKinds() throws {
        var rng = RNG(seed: 1)
        let policy = PolicyModel(input: 2, hidden: 3, output: 2, rng: &rng)
        let (store, dir) = try Self.store(with: [("policy", Self.checkpoint(policy.stateDict))])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (info, checkpoint) = try store.checkpoint(VersionRef(parsing: "1/policy"))
        #expect(throws: (any Error).self) { try ModelExport.hf.export(checkpoint, info: info, to: dir + "/hf") }
        do {
            _ = try ModelExport.hf.export(checkpoint, info: info, to: dir + "/hf")
        } catch {
            #expect("\(error)" == "1/policy@1 is a 'policy' checkpoint; --format hf exports 'gpt' checkpoints only")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/hf"))
    }
}
