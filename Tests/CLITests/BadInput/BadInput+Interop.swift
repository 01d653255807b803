/// Models, tasks and runs leaving and entering as safetensors files, task folders and notebooks: what is not a model
/// or a task, files that are not safetensors or hold another model, and cells that save or load wrongly. Nothing is
/// written: no output file, no run, no commit.
extension BadInputCorpus {
    static let interop: [BadInputCase] = exportCases + importCases + cellCases

    /// A safetensors file whose header is `header` (padded to 8 bytes) followed by `data` bytes of zeros.
    private static func safetensors(_ header: String, data: Int = 0) -> [UInt8] {
        var bytes = Array(header.utf8)
        while bytes.count % 8 != 0 { bytes.append(0x20) }
        let length = UInt64(bytes.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + bytes
            + [UInt8](repeating: 0, count: data)
    }

    private static let exportCases: [BadInputCase] = [
        .cli(
            "interop/export-dataset-as-safetensors", ["export", "1/prefs", "-o", "{dir}/x.safetensors"],
            error: "1/prefs is a dataset, not a checkpoint"),
        .cli(
            "interop/export-optimizer-to-jsonl", ["export", "1/prefs", "-o", "{dir}/x.jsonl", "--with-optimizer"],
            error: "--with-optimizer applies to --format safetensors only"),
        .cli(
            "interop/export-safetensors-without-file", ["export", "1/policy", "--format", "safetensors"],
            error: "--format safetensors needs -o FILE.safetensors"),
        .cli(
            "interop/export-task-of-a-model", ["export", "1/policy", "--format", "task", "-o", "{dir}/t"],
            error: "run 1 has no task (or other value) named 'policy'"),
        .cli(
            "interop/export-task-version", ["export", "1/task@2", "--format", "task", "-o", "{dir}/t"],
            error: "a task has no versions"),
        .cli(
            "interop/export-ipynb-of-a-version", ["export", "1/policy", "-o", "{dir}/r.ipynb"], error: "not a run id"),
        .cli("interop/export-ipynb-unknown-run", ["export", "9", "-o", "{dir}/r.ipynb"], error: "unknown run '9'"),
        // --mlflow: refused before any request (port 9 is never reached).
        .cli(
            "interop/mlflow-not-http", ["export", "1", "--mlflow", "file:///tmp/mlruns"],
            error: "--mlflow needs the tracking server's http:// or https:// URI, not 'file:///tmp/mlruns'"),
        .cli(
            "interop/mlflow-with-out", ["export", "1", "--mlflow", "http://127.0.0.1:9", "-o", "{dir}/r.ipynb"],
            error: "--mlflow logs the run to a tracking server; drop -o"),
        .cli(
            "interop/mlflow-unknown-run", ["export", "9", "--mlflow", "http://127.0.0.1:9"],
            error: "unknown run '9'"),
        .cli(
            "interop/mlflow-of-a-version", ["export", "1/policy", "--mlflow", "http://127.0.0.1:9"],
            error: "'1/policy' is not a run id; --mlflow logs a whole run"),
        .cli(
            "interop/mlflow-experiment-without-mlflow", ["export", "1", "-o", "{dir}/r.ipynb", "--experiment", "x"],
            error: "--experiment applies to --mlflow only"),
    ]

    private static func importing(_ name: String, _ bytes: [UInt8], type: String? = nil, error: String)
        -> BadInputCase
    {
        BadInputCase(
            name: "interop/import-\(name)",
            arguments: ["import", "{dir}/m.safetensors", "--as", "m", "--store", "{store}"]
                + (type.map { ["--type", $0] } ?? []),
            files: ["m.safetensors": bytes], exit: 1, error: error)
    }

    private static func importingPreferences(_ name: String, _ lines: [[UInt8]], skipBad: Bool = false, error: String)
        -> BadInputCase
    {
        BadInputCase(
            name: "interop/import-prefs-\(name)",
            arguments: ["import", "{dir}/p.jsonl", "--as", "p", "--store", "{store}"] + (skipBad ? ["--skip-bad"] : []),
            files: ["p.jsonl": Array(lines.joined(separator: [0x0A]))], exit: 1, error: error)
    }

    private static let goodPair = Array(#"{"prompt":0,"chosen":[1],"rejected":[2]}"#.utf8)

    private static let weight = #""layer1.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}"#

    private static let importCases: [BadInputCase] = [
        importing("truncated", [1, 0, 0], error: "too short for the 8-byte header length"),
        importing("header-past-end", [200, 0, 0, 0, 0, 0, 0, 0, 123], error: "runs past the end of the file"),
        importing(
            "unknown-dtype", safetensors(#"{"w":{"dtype":"F7","shape":[1],"data_offsets":[0,4]}}"#, data: 4),
            error: "unknown dtype 'F7'"),
        importing(
            "overlapping",
            safetensors(
                #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                data: 12),
            error: "inside 'a'"),
        importing("no-kind", safetensors("{\(weight)}", data: 16), error: "name the type"),
        importing(
            "unknown-type", safetensors("{\(weight)}", data: 16), type: "Policy", error: "must name a model type"),
        importing(
            "missing-tensor", safetensors("{\(weight)}", data: 16), type: "RewardModel",
            error: "no tensor 'layer2.weight'"),
        importing(
            "another-kind",
            safetensors(#"{"__metadata__":{"rlhf.kind":"gpt"},"# + weight + "}", data: 16), type: "RewardModel",
            error: "holds a 'gpt' checkpoint"),
        BadInputCase(
            name: "interop/import-missing-file",
            arguments: ["import", "{dir}/none.safetensors", "--as", "m", "--store", "{store}"],
            exit: 1, error: "no such file"),
        BadInputCase(
            name: "interop/import-type-for-a-directory",
            arguments: ["import", "{dir}", "--as", "m", "--type", "GPT", "--store", "{store}"], exit: 1,
            error: "--type applies to a .safetensors file"),
        importingPreferences(
            "not-utf8", [goodPair, [0x7B, 0xC3, 0x28, 0x7D]], error: "p.jsonl:2: error: not UTF-8 text"),
        importingPreferences(
            "not-an-object", [goodPair, Array("\"text\"".utf8)],
            error: "p.jsonl:2: error: a string, not a JSON object"),
        BadInputCase(
            name: "interop/run-nbformat-3", arguments: ["run", "{dir}/old.ipynb", "--store", "{store}"],
            files: ["old.ipynb": Array(#"{"nbformat": 3, "worksheets": []}"#.utf8)], exit: 1,
            error: "old.ipynb:1:1: error: nbformat 3: rlhf reads nbformat 4 notebooks"),
        BadInputCase(
            name: "interop/run-ipynb-not-json", arguments: ["run", "{dir}/bad.ipynb", "--store", "{store}"],
            files: ["bad.ipynb": Array("{\"cells\": [".utf8)], exit: 1,
            error: "bad.ipynb:1:1: error: not a Jupyter notebook: not JSON"),
        importingPreferences(
            "only-bad-lines", [Array("[]".utf8), Array("7".utf8)], skipBad: true, error: "holds no good line"),
    ]

    private static let cellCases: [BadInputCase] = [
        .notebook(
            "interop/save-not-safetensors", "p = PolicyModel(input: 2, hidden: 2, output: 2)\nsave(p, \"p.bin\")\n",
            error: "save(): argument 'file' must name a .safetensors file"),
        .notebook("interop/save-a-number", "save(3, \"p.safetensors\")\n", error: "must be a model, got number"),
        .notebook(
            "interop/load-missing", "m = load_safetensors(\"none.safetensors\")\n",
            error: "argument 'file' cannot be loaded: no such file"),
        .notebook(
            "interop/load-unknown-type", "m = load_safetensors(\"none.safetensors\", as: \"Tensor\")\n",
            error: "argument 'as' must name a model type"),
        .notebook(
            "interop/load-preferences-missing", "p = load_preferences(\"none.jsonl\")\n",
            error: "load_preferences(): argument 'file' cannot be loaded: no such file"),
        .notebook(
            "interop/load-preferences-empty-path", "p = load_preferences(\"\")\n",
            error: "argument 'file' must name a file, got an empty path"),
    ]
}
