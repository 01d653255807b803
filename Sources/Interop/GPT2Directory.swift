import Engine
import Foundation
import Models
import Store

/// A `GPT` and its `CharTokenizer` as a Hugging Face model directory, which
/// `transformers.GPT2LMHeadModel.from_pretrained(DIR)` loads and `AutoTokenizer.from_pretrained(DIR)` tokenizes for:
///
/// - `config.json`: `GPT2Config`'s keys (see ``GPT2Config/json(_:)``);
/// - `model.safetensors`: every parameter under its GPT-2 name (`transformer.h.0.attn.c_attn.weight`, …) and layout
///   (Conv1D weights `[in, out]`, vectors `[n]`), F32, no `lm_head.weight` (tied to `transformer.wte.weight`, as
///   `save_pretrained` leaves it out), `__metadata__` `{"format": "pt"}` plus the caller's provenance;
/// - `vocab.json`: character → id, the vocabulary this lab reads back;
/// - `tokenizer.json` and `tokenizer_config.json`: the same vocabulary as a `tokenizers` BPE model with no merges
///   (so every character is one token) and a `Fuse` decoder, for `transformers` users.
///
/// ``read(from:)`` rebuilds exactly what was written (bit for bit) and checks every name, shape and size.
public enum GPT2Directory {
    public static let configFile = "config.json"
    public static let weightsFile = "model.safetensors"
    public static let vocabularyFile = "vocab.json"
    public static let tokenizerFile = "tokenizer.json"
    public static let tokenizerConfigFile = "tokenizer_config.json"

    /// The files of the directory, in the order they are written.
    public static func files(
        _ model: GPT, tokenizer: CharTokenizer, metadata: [(key: String, value: String)] = []
    ) throws -> [(name: String, data: Data)] {
        let c = model.config
        guard tokenizer.count == c.vocab else {
            throw HuggingFaceError(
                file: weightsFile, problem: "the tokenizer has \(tokenizer.count) characters but the model \(c.vocab)")
        }
        let tensors = zip(model.parameterNames, model.parameters).map { name, t in
            Safetensors.Tensor(name: name, shape: t.shape, values: t.data)
        }
        let weights = Safetensors(tensors: tensors, metadata: [("format", "pt")] + metadata)
        var entries: [JSONMember] = []
        for (id, scalar) in tokenizer.vocabulary.enumerated() {
            entries.append(JSONMember(key: String(Character(scalar)), value: .number(String(id))))
        }
        let vocabulary = JSONValue.object(entries)
        return [
            (configFile, text(GPT2Config.json(c))),
            (weightsFile, Data(try weights.encoded())),
            (vocabularyFile, text(vocabulary)),
            (tokenizerFile, text(tokenizerJSON(vocabulary))),
            (tokenizerConfigFile, text(tokenizerConfig(context: c.context))),
        ]
    }

    /// Writes the directory (created if missing) and returns the files written.
    public static func write(
        _ model: GPT, tokenizer: CharTokenizer, metadata: [(key: String, value: String)] = [], to path: String
    ) throws -> [URL] {
        let contents = try files(model, tokenizer: tokenizer, metadata: metadata)
        var folder = try OutputFolder(path: path)
        return try contents.map { try folder.write($0.data, named: $0.name) }
    }

    /// Reads a directory written by ``write(_:tokenizer:metadata:to:)`` (or by `transformers` for a GPT-2 with a
    /// character vocabulary), refusing with the file and the problem anything that does not fit.
    public static func read(from path: String) throws -> (GPT, CharTokenizer) {
        let folder = URL(fileURLWithPath: path, isDirectory: true)
        func load(_ name: String) throws -> (String, Data) {
            let shown = (path as NSString).appendingPathComponent(name)
            do {
                return (shown, try Data(contentsOf: folder.appendingPathComponent(name)))
            } catch {
                throw HuggingFaceError(file: shown, problem: "cannot read it: \(FileProblem.reason(error))")
            }
        }
        let (configPath, configData) = try load(configFile)
        let configJSON = try json(configData, file: configPath)
        let config: GPTConfig
        do {
            config = try GPT2Config.read(configJSON)
        } catch let problem as GPT2Config.ConfigProblem {
            throw HuggingFaceError(file: configPath, problem: problem.text)
        }
        let (vocabularyPath, vocabularyData) = try load(vocabularyFile)
        let tokenizer = try readVocabulary(vocabularyData, size: config.vocab, file: vocabularyPath)
        let (weightsPath, weightsData) = try load(weightsFile)
        let weights: Safetensors
        do {
            weights = try Safetensors(bytes: [UInt8](weightsData))
        } catch {
            throw HuggingFaceError(file: weightsPath, problem: error.description)
        }
        return (try model(config, weights, file: weightsPath), tokenizer)
    }

    /// The GPT the tensors describe: exactly `GPT.parameterNames`, each with its GPT-2 shape; `lm_head.weight` may
    /// be present only as a bitwise copy of the token embedding it is tied to.
    static func model(_ c: GPTConfig, _ weights: Safetensors, file: String) throws -> GPT {
        let names = GPT.parameterNames(layers: c.layers)
        let shapes = GPT.parameterShapes(c)
        let parameters = try zip(names, shapes).map { name, shape in
            guard let t = weights.tensor(name) else {
                throw HuggingFaceError(file: file, problem: "no tensor '\(name)' (config.json has n_layer \(c.layers))")
            }
            guard t.shape == shape else {
                throw HuggingFaceError(
                    file: file, problem: "tensor '\(name)' has shape \(t.shape); config.json implies \(shape)")
            }
            return Tensor(shape: t.shape, data: t.values)
        }
        let expected = Set(names)
        for t in weights.tensors where !expected.contains(t.name) {
            if t.name == "lm_head.weight", t.shape == shapes[0],
                t.values.map(\.bitPattern) == parameters[0].data.map(\.bitPattern)
            {
                continue
            }
            let why =
                t.name == "lm_head.weight"
                ? "differs from 'transformer.wte.weight', but this lab ties the two"
                : "is not a parameter of a \(c.layers)-layer GPT-2"
            throw HuggingFaceError(file: file, problem: "tensor '\(t.name)' \(why)")
        }
        return GPT(config: c, parameters: parameters)
    }

    /// `vocab.json`: one character per entry, ids 0..<size, in increasing code-point order (a character
    /// tokenizer's vocabulary is sorted).
    static func readVocabulary(_ data: Data, size: Int, file: String) throws -> CharTokenizer {
        let value = try json(data, file: file)
        guard case let .object(members) = value else {
            throw HuggingFaceError(file: file, problem: "it is \(value.kindName), not an object")
        }
        guard members.count == size else {
            throw HuggingFaceError(
                file: file, problem: "it has \(members.count) entries but config.json's vocab_size is \(size)")
        }
        var byID = [Unicode.Scalar?](repeating: nil, count: size)
        for member in members {
            let (key, id) = (member.key, member.value)
            let scalars = Array(key.unicodeScalars)
            guard scalars.count == 1 else {
                throw HuggingFaceError(
                    file: file,
                    problem:
                        "the token \(JSONWriter.quoted(key)) is not one character (this lab's tokenizer is by character)"
                )
            }
            guard let n = id.nonNegativeInteger, n < size else {
                throw HuggingFaceError(
                    file: file, problem: "the id of \(JSONWriter.quoted(key)) is \(id.compactText), not in 0..<\(size)")
            }
            guard byID[n] == nil else { throw HuggingFaceError(file: file, problem: "id \(n) is given twice") }
            byID[n] = scalars[0]
        }
        let vocabulary = byID.compactMap { $0 }
        do {
            return try CharTokenizer(vocabulary: vocabulary)
        } catch {
            throw HuggingFaceError(file: file, problem: "\(error.description) (ids must follow increasing code points)")
        }
    }

    /// The JSON in `data`, or an error naming the file and the byte where it stops being JSON.
    private static func json(_ data: Data, file: String) throws -> JSONValue {
        do {
            return try JSONReader.parse([UInt8](data))
        } catch {
            throw HuggingFaceError(file: file, problem: "not valid JSON: \(error.description)")
        }
    }

    private static func text(_ value: JSONValue) -> Data { Data((JSONWriter.pretty(value) + "\n").utf8) }

    /// A `tokenizers` file: BPE without merges splits text into characters, each a vocabulary entry; `Fuse` joins
    /// decoded tokens without spaces.
    private static func tokenizerJSON(_ vocabulary: JSONValue) -> JSONValue {
        let model = JSONValue.fields([
            "type": .string("BPE"), "dropout": .null, "unk_token": .null, "continuing_subword_prefix": .null,
            "end_of_word_suffix": .null, "fuse_unk": .bool(false), "byte_fallback": .bool(false),
            "ignore_merges": .bool(false), "vocab": vocabulary, "merges": .array([]),
        ])
        return .fields([
            "version": .string("1.0"), "truncation": .null, "padding": .null, "added_tokens": .array([]),
            "normalizer": .null, "pre_tokenizer": .null, "post_processor": .null,
            "decoder": .fields(["type": .string("Fuse")]), "model": model,
        ])
    }

    private static func tokenizerConfig(context: Int) -> JSONValue {
        .fields([
            "clean_up_tokenization_spaces": .bool(false), "model_max_length": .number(String(context)),
            "tokenizer_class": .string("PreTrainedTokenizerFast"),
        ])
    }
}
