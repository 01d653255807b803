/// `rlhf export --format hf`, `rlhf import` and `load_hf`: references to what is not a GPT, unknown formats, and
/// Hugging Face directories that are missing, damaged or describe another model. Nothing is written: no output
/// folder, no run, no commit.
extension BadInputCorpus {
    static let huggingFace: [BadInputCase] = exportCases + importCases

    private static let exportCases: [BadInputCase] = [
        .cli(
            "hf/export-a-policy", ["export", "1/policy", "--format", "hf", "-o", "{dir}/hf"],
            error: "1/policy@2 is a 'policy' checkpoint; --format hf exports 'gpt' checkpoints only"),
        .cli("hf/export-a-dataset", ["export", "1/prefs", "--format", "hf", "-o", "{dir}/hf"], error: "1/prefs"),
        .cli(
            "hf/export-unknown-format", ["export", "1/policy", "--format", "onnx", "-o", "{dir}/hf"],
            error: "unknown format 'onnx'; use --format safetensors, --format hf"),
        .cli("hf/export-unknown-object", ["export", "1/lm", "--format", "hf", "-o", "{dir}/hf"], error: "'lm'"),
        .cli("hf/export-bad-reference", ["export", "1/lm@0", "--format", "hf", "-o", "{dir}/hf"], error: "'0'"),
        .cli(
            "hf/export-empty-output", ["export", "1/policy", "--format", "hf", "-o", ""],
            error: "-o needs the path of a directory to write into; it is empty"),
        .cli(
            "hf/export-no-format", ["export", "1/policy", "-o", "{dir}/hf"],
            error: "say which format to write: --format safetensors"),
    ]

    /// A one-layer GPT-2 `config.json` of width 4 over 3 characters; `edit` replaces text in it.
    private static func config(_ edit: (String, String) = ("", "")) -> [UInt8] {
        let text = """
            {"model_type": "gpt2", "n_layer": 1, "n_head": 2, "n_embd": 4, "n_positions": 8, "vocab_size": 3}
            """
        return Array((edit.0.isEmpty ? text : text.replacingOccurrences(of: edit.0, with: edit.1)).utf8)
    }

    private static let vocabulary = Array(#"{"a": 0, "b": 1, "c": 2}"#.utf8)
    /// A safetensors file with one tensor, `transformer.wte.weight` [3, 4] of zeros: too few for a GPT.
    private static let oneTensor: [UInt8] = {
        let header = Array(#"{"transformer.wte.weight":{"dtype":"F32","shape":[3,4],"data_offsets":[0,48]}}"#.utf8)
        return [UInt8(header.count), 0, 0, 0, 0, 0, 0, 0] + header + [UInt8](repeating: 0, count: 48)
    }()

    private static func directory(config: [UInt8] = config(), vocab: [UInt8] = vocabulary, weights: [UInt8] = oneTensor)
        -> [String: [UInt8]]
    {
        ["hf/config.json": config, "hf/vocab.json": vocab, "hf/model.safetensors": weights]
    }

    private static func importing(_ name: String, _ files: [String: [UInt8]], as variable: String = "lm", error: String)
        -> BadInputCase
    {
        BadInputCase(
            name: "hf/import-\(name)", arguments: ["import", "{dir}/hf", "--as", variable, "--store", "{store}"],
            files: files, exit: 1, error: error)
    }

    private static let importCases: [BadInputCase] = [
        importing("missing-directory", [:], error: "{dir}/hf/config.json: cannot read it: No such file or directory"),
        importing("bert", directory(config: config(("gpt2", "bert"))), error: "'model_type' is \"bert\", not \"gpt2\""),
        importing("config-not-json", directory(config: Array("{\"n_layer\": }".utf8)), error: "not valid JSON"),
        importing(
            "heads", directory(config: config(("\"n_head\": 2", "\"n_head\": 3"))),
            error: "'n_head' 3 does not divide 'n_embd' 4"),
        importing(
            "vocab-size", directory(vocab: Array(#"{"a": 0, "b": 1}"#.utf8)),
            error: "vocab.json: it has 2 entries but config.json's vocab_size is 3"),
        importing(
            "missing-tensor", directory(),
            error: "model.safetensors: no tensor 'transformer.wpe.weight' (config.json has n_layer 1)"),
        importing(
            "truncated-weights", directory(weights: Array(oneTensor.prefix(20))),
            error: "model.safetensors: the header length 78 runs past the end of the file (20 bytes)"),
        importing("empty-weights", directory(weights: []), error: "the file is 0 bytes, too short"),
        importing("bad-name", directory(), as: "9lives", error: "--as '9lives' is not a variable name"),
        .notebook(
            "hf/load-hf-missing", "# %% a id=a\nlm = load_hf(\"hf\")\n",
            error:
                "nb.rlhf:2:14: error: load_hf(): argument 'dir' cannot be loaded: {dir}/hf/config.json: cannot read it"),
        .notebook(
            "hf/load-hf-empty", "# %% a id=a\nlm = load_hf(\"\")\n",
            error: "load_hf(): argument 'dir' must name a directory, got an empty path"),
    ]
}
