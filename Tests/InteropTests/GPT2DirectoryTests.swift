import Engine
import Foundation
import Models
import Testing

@testable import Interop

/// A GPT and its tokenizer through a Hugging Face directory and back, the files' exact contents, and a table of
/// directories that must be refused.
struct GPT2DirectoryTests {
    static let config = GPTConfig(vocab: 4, layers: 2, heads: 2, dim: 8, context: 5)
    static let tokenizer = CharTokenizer(corpus: "ba\né\n")

    /// A GPT whose every parameter (norms and biases too) holds distinct random values.
    static func model(seed: UInt64 = 7, config: GPTConfig = config) -> GPT {
        var rng = RNG(seed: seed)
        var model = GPT(config: config, rng: &rng)
        model.parameters = model.parameters.map { rng.normalTensor($0.shape, scale: 0.5) }
        return model
    }

    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("InteropTests-\(UUID().uuidString)").path
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func roundTripsBitwise(seed: UInt64) throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = Self.model(seed: seed)
        let written = try GPT2Directory.write(
            model, tokenizer: Self.tokenizer, metadata: [("rlhf.source", "1/lm@1")], to: dir)
        #expect(
            written.map(\.lastPathComponent)
                == ["config.json", "model.safetensors", "vocab.json", "tokenizer.json", "tokenizer_config.json"])
        let (back, tokenizer) = try GPT2Directory.read(from: dir)
        #expect(back.config == model.config)
        #expect(back.parameters.map(\.shape) == model.parameters.map(\.shape))
        #expect(back.parameters.map { $0.data.map(\.bitPattern) } == model.parameters.map { $0.data.map(\.bitPattern) })
        #expect(tokenizer == Self.tokenizer)
    }

    /// The weights file holds exactly the GPT-2 names (sorted, as safetensors writes them), each with its layout,
    /// the format metadata `transformers` checks and the provenance given.
    @Test func weightsFileHasGPT2NamesAndLayouts() throws {
        let files = try GPT2Directory.files(
            Self.model(), tokenizer: Self.tokenizer, metadata: [("rlhf.source", "2/lm@3")])
        let weights = try Safetensors(bytes: [UInt8](try #require(files.first { $0.name == "model.safetensors" }).data))
        #expect(weights.metadata.map { "\($0.key)=\($0.value)" } == ["format=pt", "rlhf.source=2/lm@3"])
        let expected: [(String, [Int])] = [
            ("transformer.h.0.attn.c_attn.bias", [24]), ("transformer.h.0.attn.c_attn.weight", [8, 24]),
            ("transformer.h.0.attn.c_proj.bias", [8]), ("transformer.h.0.attn.c_proj.weight", [8, 8]),
            ("transformer.h.0.ln_1.bias", [8]), ("transformer.h.0.ln_1.weight", [8]),
            ("transformer.h.0.ln_2.bias", [8]), ("transformer.h.0.ln_2.weight", [8]),
            ("transformer.h.0.mlp.c_fc.bias", [32]), ("transformer.h.0.mlp.c_fc.weight", [8, 32]),
            ("transformer.h.0.mlp.c_proj.bias", [8]), ("transformer.h.0.mlp.c_proj.weight", [32, 8]),
        ]
        let layer0 = weights.tensors.filter { $0.name.hasPrefix("transformer.h.0.") }
        #expect(layer0.map(\.name) == expected.map(\.0))
        #expect(layer0.map(\.shape) == expected.map(\.1))
        #expect(weights.tensors.count == 2 + 12 * 2 + 2)
        #expect(weights.tensor("transformer.wte.weight")?.shape == [4, 8])
        #expect(weights.tensor("transformer.wpe.weight")?.shape == [5, 8])
        #expect(weights.tensor("lm_head.weight") == nil)
    }

    @Test func configAndVocabularyFilesAreExact() throws {
        let files = try GPT2Directory.files(Self.model(), tokenizer: Self.tokenizer)
        func text(_ name: String) -> String? {
            files.first { $0.name == name }.map { String(decoding: $0.data, as: UTF8.self) }
        }
        #expect(
            text("config.json") == """
                {
                  "activation_function": "gelu_new",
                  "architectures": [
                    "GPT2LMHeadModel"
                  ],
                  "attn_pdrop": 0.0,
                  "bos_token_id": null,
                  "embd_pdrop": 0.0,
                  "eos_token_id": null,
                  "initializer_range": 0.02,
                  "layer_norm_epsilon": 1e-05,
                  "model_type": "gpt2",
                  "n_ctx": 5,
                  "n_embd": 8,
                  "n_head": 2,
                  "n_inner": null,
                  "n_layer": 2,
                  "n_positions": 5,
                  "reorder_and_upcast_attn": false,
                  "resid_pdrop": 0.0,
                  "scale_attn_by_inverse_layer_idx": false,
                  "scale_attn_weights": true,
                  "tie_word_embeddings": true,
                  "torch_dtype": "float32",
                  "use_cache": true,
                  "vocab_size": 4
                }

                """)
        #expect(text("vocab.json") == "{\n  \"\\n\": 0,\n  \"a\": 1,\n  \"b\": 2,\n  \"é\": 3\n}\n")
        #expect(
            text("tokenizer_config.json")
                == "{\n  \"clean_up_tokenization_spaces\": false,\n  \"model_max_length\": 5,\n"
                + "  \"tokenizer_class\": \"PreTrainedTokenizerFast\"\n}\n")
    }

    @Test func refusesATokenizerOfAnotherSize() {
        #expect(
            throws: HuggingFaceError(
                file: "model.safetensors", problem: "the tokenizer has 2 characters but the model 4")
        ) {
            try GPT2Directory.files(Self.model(), tokenizer: CharTokenizer(corpus: "ab"))
        }
    }

    /// One change to a good directory, and the line it is refused with (after `DIR/`).
    struct Damage: CustomTestStringConvertible, Sendable {
        var label: String
        var file: String
        var change: @Sendable (Data) throws -> Data?
        var expected: String
        var testDescription: String { label }
    }

    static func editConfig(_ from: String, _ to: String) -> @Sendable (Data) -> Data? {
        { Data(String(decoding: $0, as: UTF8.self).replacingOccurrences(of: from, with: to).utf8) }
    }

    static func editWeights(_ edit: @escaping @Sendable (inout [Safetensors.Tensor]) -> Void)
        -> @Sendable (Data) throws
        -> Data?
    {
        { data in
            var file = try Safetensors(bytes: [UInt8](data))
            edit(&file.tensors)
            return Data(try file.encoded())
        }
    }

    static let damages: [Damage] = [
        Damage(
            label: "no config", file: "config.json", change: { _ in nil },
            expected: "config.json: cannot read it: No such file or directory"),
        Damage(
            label: "not JSON", file: "config.json", change: editConfig("{\n", "{{"),
            expected: "config.json: not valid JSON: expected a quoted key at byte 1"),
        Damage(
            label: "bert", file: "config.json", change: editConfig("\"gpt2\"", "\"bert\""),
            expected: "config.json: 'model_type' is \"bert\", not \"gpt2\""),
        Damage(
            label: "heads", file: "config.json", change: editConfig("\"n_head\": 2", "\"n_head\": 3"),
            expected: "config.json: 'n_head' 3 does not divide 'n_embd' 8"),
        Damage(
            label: "layers", file: "config.json", change: editConfig("\"n_layer\": 2", "\"n_layer\": 0"),
            expected: "config.json: 'n_layer' is 0, not a positive integer"),
        Damage(
            label: "a billion layers", file: "config.json",
            change: editConfig("\"n_layer\": 2", "\"n_layer\": 1000000000"),
            expected: "config.json: 'n_layer' is 1000000000; at most 10000 is read"),
        Damage(
            label: "overflowing width", file: "config.json",
            change: editConfig("\"n_embd\": 8", "\"n_embd\": 4611686018427387904"),
            expected: "config.json: 'n_embd' is 4611686018427387904; at most 2147483648 is read"),
        Damage(
            label: "no vocab_size", file: "config.json", change: editConfig("\"vocab_size\"", "\"vocab\""),
            expected: "config.json: no 'vocab_size'"),
        Damage(
            label: "twice", file: "config.json", change: editConfig("\"n_ctx\"", "\"n_embd\""),
            expected: "config.json: 'n_embd' is given twice"),
        Damage(
            label: "erf gelu", file: "config.json", change: editConfig("\"gelu_new\"", "\"gelu\""),
            expected: "config.json: 'activation_function' is \"gelu\"; this lab's GPT uses the tanh GELU (\"gelu_new\")"
        ),
        Damage(
            label: "epsilon", file: "config.json", change: editConfig("1e-05", "1e-06"),
            expected: "config.json: 'layer_norm_epsilon' is 1e-06; this lab's layer norm uses 1e-05"),
        Damage(
            label: "untied", file: "config.json",
            change: editConfig("\"tie_word_embeddings\": true", "\"tie_word_embeddings\": false"),
            expected: "config.json: 'tie_word_embeddings' is false; this lab ties the language-model head to 'wte'"),
        Damage(
            label: "inner", file: "config.json", change: editConfig("\"n_inner\": null", "\"n_inner\": 16"),
            expected: "config.json: 'n_inner' is 16; this lab's MLP is 4 × n_embd = 32 wide"),
        Damage(
            label: "vocab size", file: "config.json", change: editConfig("\"vocab_size\": 4", "\"vocab_size\": 5"),
            expected: "vocab.json: it has 4 entries but config.json's vocab_size is 5"),
        Damage(
            label: "two characters", file: "vocab.json", change: editConfig("\"a\":", "\"aa\":"),
            expected: "vocab.json: the token \"aa\" is not one character (this lab's tokenizer is by character)"),
        Damage(
            label: "id range", file: "vocab.json", change: editConfig("\"b\": 2", "\"b\": 4"),
            expected: "vocab.json: the id of \"b\" is 4, not in 0..<4"),
        Damage(
            label: "id twice", file: "vocab.json", change: editConfig("\"b\": 2", "\"b\": 1"),
            expected: "vocab.json: id 1 is given twice"),
        Damage(
            label: "unsorted", file: "vocab.json",
            change: editConfig("\"a\": 1,\n  \"b\": 2", "\"a\": 2,\n  \"b\": 1"),
            expected: "vocab.json: the tokenizer's vocabulary is not in increasing order at 'a' (U+0061) "
                + "(ids must follow increasing code points)"),
        Damage(
            label: "truncated weights", file: "model.safetensors", change: { $0.prefix(100) },
            expected: "model.safetensors: the header length 2488 runs past the end of the file (100 bytes)"),
        Damage(
            label: "missing tensor", file: "model.safetensors",
            change: editWeights { $0.removeAll { $0.name == "transformer.h.1.ln_2.bias" } },
            expected: "model.safetensors: no tensor 'transformer.h.1.ln_2.bias' (config.json has n_layer 2)"),
        Damage(
            label: "transposed", file: "model.safetensors",
            change: editWeights { ts in
                ts = ts.map {
                    $0.name == "transformer.h.0.mlp.c_fc.weight"
                        ? .init(name: $0.name, shape: [32, 8], values: $0.values) : $0
                }
            },
            expected: "model.safetensors: tensor 'transformer.h.0.mlp.c_fc.weight' has shape [32, 8]; "
                + "config.json implies [8, 32]"),
        Damage(
            label: "extra layer", file: "model.safetensors",
            change: editWeights {
                $0.append(.init(name: "transformer.h.2.ln_1.bias", shape: [8], values: .init(repeating: 0, count: 8)))
            },
            expected: "model.safetensors: tensor 'transformer.h.2.ln_1.bias' is not a parameter of a 2-layer GPT-2"),
        Damage(
            label: "untied head", file: "model.safetensors",
            change: editWeights {
                $0.append(.init(name: "lm_head.weight", shape: [4, 8], values: .init(repeating: 0, count: 32)))
            },
            expected:
                "model.safetensors: tensor 'lm_head.weight' differs from 'transformer.wte.weight', but this lab ties the two"
        ),
    ]

    @Test(arguments: damages)
    func refusesDamagedDirectories(damage: Damage) throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try GPT2Directory.write(Self.model(), tokenizer: Self.tokenizer, to: dir)
        let url = URL(fileURLWithPath: dir).appendingPathComponent(damage.file)
        if let changed = try damage.change(try Data(contentsOf: url)) {
            try changed.write(to: url)
        } else {
            try FileManager.default.removeItem(at: url)
        }
        do {
            _ = try GPT2Directory.read(from: dir)
            Issue.record("read a damaged directory")
        } catch {
            #expect("\(error)" == "\(dir)/\(damage.expected)")
        }
    }

    /// A tied `lm_head.weight`, as some writers keep it, is accepted: it is the token embedding.
    @Test func acceptsATiedHeadCopy() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = Self.model()
        _ = try GPT2Directory.write(model, tokenizer: Self.tokenizer, to: dir)
        let url = URL(fileURLWithPath: dir).appendingPathComponent("model.safetensors")
        var file = try Safetensors(bytes: [UInt8](try Data(contentsOf: url)))
        file.tensors.append(.init(name: "lm_head.weight", shape: [4, 8], values: model.parameters[0].data))
        try Data(try file.encoded()).write(to: url)
        #expect(try GPT2Directory.read(from: dir).0 == model)
    }
}
