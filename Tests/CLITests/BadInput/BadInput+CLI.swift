/// Arguments and references given to the CLI: unknown runs, objects and versions, malformed references, unknown
/// commands and options, option combinations, notebooks that are not notebooks, and store and output paths that are
/// not what they should be.
///
/// The seeded store holds run 1 with checkpoints `policy` (v1, v2) and `rm` (v1, v2) and the dataset `prefs` (v1).
/// Expected texts quote what the user typed, so a case pins the information a message must give, not its wording.
extension BadInputCorpus {
    static let cli: [BadInputCase] =
        cliBasics + cliReferences + cliRunIDs + cliRunOptions + cliNotebookFiles + cliStorePaths + cliOutputs
        + experiments
}

/// A malformed or dangling `RUN/NAME@V` and the text every command that takes one must quote in its error.
private struct BadReference {
    /// What the user types; `{obj}` is replaced by an object of the kind the command needs.
    var text: String
    /// Text the error line must contain; `{obj}` and `{ref}` (the reference as typed) are replaced.
    var error: String
    /// A short name for the case, unique within the list.
    var label: String

    func expanded(_ object: String) -> (text: String, error: String) {
        let text = self.text.replacingOccurrences(of: "{obj}", with: object)
        let error = self.error.replacingOccurrences(of: "{obj}", with: object)
        return (text, error.replacingOccurrences(of: "{ref}", with: text))
    }
}

/// Every way a reference can be wrong: zero, negative and huge numbers (beyond Int64), spaces, unicode digits and
/// names, empty parts, extra slashes and at-signs, `@-0`, and well-formed references to what does not exist.
private let badReferences: [BadReference] = [
    .init(text: "1/{obj}@0", error: "version '0' is not a positive number", label: "version-zero"),
    .init(text: "1/{obj}@-1", error: "version '-1' is not a positive number", label: "version-negative"),
    .init(text: "1/{obj}@-0", error: "version '-0' is not a positive number", label: "version-minus-zero"),
    .init(text: "1/{obj}@+0", error: "version '+0' is not a positive number", label: "version-plus-zero"),
    .init(text: "1/{obj}@99999999999999999999", error: "'{ref}'", label: "version-beyond-int64"),
    .init(text: "1/{obj}@9223372036854775808", error: "'{ref}'", label: "version-int64-max-plus-one"),
    .init(text: "1/{obj}@x", error: "version 'x' is not a positive number", label: "version-word"),
    .init(text: "1/{obj}@1.5", error: "version '1.5' is not a positive number", label: "version-fraction"),
    .init(text: "1/{obj}@", error: "bad reference '{ref}'", label: "version-empty"),
    .init(text: "1/{obj}@@1", error: "bad reference '{ref}'", label: "double-at"),
    .init(text: "1/{obj}@1@2", error: "bad reference '{ref}'", label: "two-versions"),
    .init(text: "1/{obj}@١", error: "bad reference '{ref}'", label: "version-arabic-digit"),
    .init(text: "0/{obj}", error: "run '0' is not a positive number", label: "run-zero"),
    .init(text: "99999999999999999999/{obj}", error: "'99999999999999999999'", label: "run-beyond-int64"),
    .init(text: "x/{obj}", error: "run 'x' is not a positive number", label: "run-word"),
    .init(text: "１/{obj}", error: "bad reference '{ref}'", label: "run-fullwidth-digit"),
    .init(text: "1@2/{obj}", error: "bad reference '{ref}'", label: "at-in-run"),
    .init(text: "1 /{obj}", error: "bad reference '{ref}'", label: "space-in-run"),
    .init(text: "1/po licy", error: "object name 'po licy' contains ' '", label: "space-in-name"),
    .init(text: "1/po\tlicy", error: "bad reference '{ref}'", label: "tab-in-name"),
    .init(text: "1/", error: "the object name is empty", label: "empty-name"),
    .init(text: "/{obj}", error: "bad reference '{ref}'", label: "empty-run"),
    .init(text: "/", error: "bad reference '/'", label: "only-slash"),
    .init(text: "", error: "bad reference ''", label: "empty"),
    .init(text: "{obj}", error: "no '/' between run and object", label: "no-run"),
    .init(text: "1//{obj}", error: "bad reference '{ref}'", label: "double-slash"),
    .init(text: "1/{obj}/x", error: "bad reference '{ref}'", label: "extra-slash"),
    .init(
        text: "9223372036854775807/{obj}", error: "unknown run '9223372036854775807' (latest is 1)",
        label: "run-int64-max"),
    .init(text: "2/{obj}", error: "unknown run '2' (latest is 1)", label: "run-next"),
    .init(text: "1/nope", error: "run 1 has no object 'nope'", label: "unknown-name"),
    .init(text: "1/pölicy", error: "run 1 has no object 'pölicy'", label: "unicode-name"),
    .init(text: "1/🤖", error: "run 1 has no object '🤖'", label: "emoji-name"),
    .init(text: "1/POLICY", error: "run 1 has no object 'POLICY'", label: "name-wrong-case"),
    .init(text: "1/{obj}@9", error: "{obj} has no version 9 in run 1", label: "version-unknown"),
    .init(
        text: "1/{obj}@9223372036854775807", error: "{obj} has no version 9223372036854775807 in run 1",
        label: "version-int64-max"),
]

/// References that start with `-` must follow `--` (else they read as options), so the store option goes first.
private func referenceArguments(_ command: [String], _ reference: String) -> [String] {
    command + ["--store", "{store}", "--", reference]
}

extension BadInputCorpus {
    /// Unknown commands and options, and the first cases the harness was written with.
    fileprivate static let cliBasics: [BadInputCase] = [
        .cli("cli/show-unknown-run", ["show", "9"], error: "unknown run '9' (latest is 1)"),
        .cli("cli/show-not-a-number", ["show", "x"], exit: 64, error: "The value 'x' is invalid for '<run>'"),
        .cli("cli/log-unknown-object", ["log", "1/nope"], error: "run 1 has no object 'nope'"),
        .cli("cli/log-unknown-run", ["log", "9/policy"], error: "unknown run '9' (latest is 1)"),
        .cli("cli/log-empty-version", ["log", "1/policy@"], error: "bad reference '1/policy@'"),
        .cli("cli/log-empty-run", ["log", "/policy"], error: "bad reference '/policy'"),
        .cli("cli/diff-unknown-version", ["diff", "1/policy@1", "1/policy@7"], error: "has no version 7 in run 1"),
        .cli("cli/diff-unknown-run", ["diff", "1/policy", "2/policy"], error: "unknown run '2' (latest is 1)"),
        .cli(
            "cli/rollback-unknown-version", ["rollback", "1/policy", "--to", "9"], error: "has no version 9 in run 1"),
        .cli("cli/unknown-subcommand", ["bogus"], exit: 64, error: "Unexpected argument 'bogus'"),
        .cli("cli/unknown-option", ["runs", "--frobnicate"], exit: 64, error: "Unknown option '--frobnicate'"),
        .cli("cli/metrics-unknown-run", ["metrics", "42"], error: "unknown run '42' (latest is 1)"),
        .cli("cli/blame-a-checkpoint", ["blame", "1/policy"], error: "1/policy is a checkpoint, not a dataset"),
        .cli("cli/report-unknown-run", ["report", "7"], error: "unknown run '7' (latest is 1)"),
        .cli("cli/replay-unknown-run", ["replay", "12"], error: "unknown run '12' (latest is 1)"),
        .cli("cli/rm-unknown-run", ["rm", "99"], error: "unknown run '99' (latest is 1)"),
        .cli("cli/run-missing-notebook", ["run", "missing.rlhf"], error: "cannot read notebook 'missing.rlhf'"),
        .cli("cli/query-without-sql", ["query"], exit: 64, error: "Missing expected argument '<sql>'"),
        .notebook(
            "cli/notebook-unknown-name", "# %% a id=a\nx = nope\n",
            error: "nb.rlhf:2:5: error: undefined variable 'nope' at cell 'a' line 1"),
        .cli("cli/unknown-subcommand-typo", ["rnu", "nb.rlhf"], exit: 64, error: "unexpected arguments: 'rnu'"),
        .cli("cli/runs-extra-argument", ["runs", "1"], exit: 64, error: "Unexpected argument '1'"),
        .cli("cli/check-extra-argument", ["check", "extra"], exit: 64, error: "Unexpected argument 'extra'"),
        .cli(
            "cli/builtins-unknown-option", ["builtins", "--json"], exit: 64, error: "Unknown option '--json'",
            store: .absent),
        .cli("cli/show-missing-run", ["show"], exit: 64, error: "Missing expected argument '<run>'"),
        .cli("cli/log-missing-object", ["log"], exit: 64, error: "Missing expected argument '<run/name>'"),
        .cli("cli/blame-missing-dataset", ["blame"], exit: 64, error: "Missing expected argument '<run/name>'"),
        .cli("cli/diff-one-argument", ["diff", "1/policy@1"], exit: 64, error: "Missing expected argument '<b>'"),
        .cli(
            "cli/diff-three-arguments", ["diff", "1/policy@1", "1/policy@2", "1/policy@1"], exit: 64,
            error: "Unexpected argument '1/policy@1'"),
        .cli(
            "cli/diff-checkpoint-with-dataset", ["diff", "1/policy", "1/prefs"],
            error: "cannot diff 1/policy with 1/prefs"),
        .cli(
            "cli/diff-dataset-with-checkpoint", ["diff", "1/prefs@1", "1/rm@2"],
            error: "cannot diff 1/prefs@1 with 1/rm@2"),
        .cli("cli/diff-run-with-reference", ["diff", "1", "1/policy"], error: "bad reference '1'"),
        .cli("cli/diff-unknown-runs", ["diff", "1", "2"], error: "unknown run '2' (latest is 1)"),
        .cli("cli/blame-reward-model", ["blame", "1/rm@1"], error: "1/rm@1 is a checkpoint, not a dataset"),
        .cli("cli/metrics-unknown-series", ["metrics", "1", "--name", "nope"], error: "run 1 has no metric 'nope'"),
        .cli("cli/metrics-empty-series", ["metrics", "1", "--name", ""], error: "run 1 has no metric ''"),
        .cli(
            "cli/metrics-csv-and-json", ["metrics", "1", "--csv", "--json"], exit: 64,
            error: "choose one of --csv and --json"),
        .cli(
            "cli/query-json-and-csv", ["query", "SELECT 1", "--json", "--csv"], exit: 64,
            error: "choose one of --json and --csv"),
        .cli(
            "cli/gc-dry-run-and-vacuum", ["gc", "--dry-run", "--vacuum"], exit: 64,
            error: "--vacuum changes the store; it cannot be combined with --dry-run"),
        .cli(
            "cli/rollback-without-to", ["rollback", "1/policy"], exit: 64,
            error: "Missing expected argument '--to <n>'"),
        .cli("cli/rollback-to-zero", ["rollback", "1/policy", "--to", "0"], error: "policy has no version 0 in run 1"),
        .cli(
            "cli/rollback-to-negative", ["rollback", "1/policy", "--to=-1"],
            error: "policy has no version -1 in run 1"),
        .cli(
            "cli/rollback-to-word", ["rollback", "1/policy", "--to", "x"], exit: 64,
            error: "The value 'x' is invalid for '--to <n>'"),
        .cli(
            "cli/rollback-to-beyond-int64", ["rollback", "1/policy", "--to", "99999999999999999999"], exit: 64,
            error: "The value '99999999999999999999' is invalid for '--to <n>'"),
        .cli(
            "cli/rollback-to-missing-value", ["rollback", "1/policy", "--to"], exit: 64,
            error: "Missing value for '--to <n>'"),
        .cli(
            "cli/rollback-dataset-unknown-version", ["rollback", "1/prefs", "--to", "5"],
            error: "prefs has no version 5 in run 1"),
        // A version in the reference and another in --to: which one is meant? Today the reference's is ignored.
        .cli("cli/rollback-reference-with-version", ["rollback", "1/policy@2", "--to", "1"], error: "'1/policy@2'"),
        .cli(
            "cli/rollback-reference-with-unknown-version", ["rollback", "1/policy@9", "--to", "1"],
            error: "'1/policy@9'"),
    ]

    /// Every command that takes a reference × every bad reference (see ``badReferences``); and `load(…)` in a cell.
    fileprivate static let cliReferences: [BadInputCase] = badReferences.flatMap { bad -> [BadInputCase] in
        let (checkpoint, checkpointError) = bad.expanded("policy")
        let (dataset, datasetError) = bad.expanded("prefs")
        var cases: [BadInputCase] = [
            .cli("cli/log/\(bad.label)", referenceArguments(["log"], checkpoint), error: checkpointError),
            .cli("cli/blame/\(bad.label)", referenceArguments(["blame"], dataset), error: datasetError),
            .cli(
                "cli/diff-first/\(bad.label)", referenceArguments(["diff", "1/policy@1"], checkpoint),
                error: checkpointError),
            .cli(
                "cli/diff-second/\(bad.label)", ["diff", "--store", "{store}", "--", checkpoint, "1/policy@1"],
                error: checkpointError),
        ]
        // Text a cell cannot hold in a string literal (a tab) is left to the command-line cases. The notebook's own
        // run is the latest when the cell runs, so the "latest is" part differs.
        // Run 2 is the notebook's own run there, so `2/policy` names an object it has not made yet.
        if !checkpoint.contains("\t") && bad.label != "run-next" {
            cases.append(
                .notebook(
                    "cli/load/\(bad.label)", "# %% a id=a\nx = load(\"\(checkpoint)\")\n",
                    error: checkpointError.replacingOccurrences(of: " (latest is 1)", with: "")))
        }
        // rollback names the version in --to; a reference with its own version is covered in cliBasics.
        if !bad.text.contains("@") {
            cases.append(
                .cli(
                    "cli/rollback/\(bad.label)", referenceArguments(["rollback", "--to", "1"], checkpoint),
                    error: checkpointError))
        }
        return cases
    }

    /// Every command that takes a run id × ids that are zero, negative, beyond Int64, fractions, empty or not digits.
    fileprivate static let cliRunIDs: [BadInputCase] = {
        let commands: [(name: String, prefix: [String], suffix: [String])] = [
            ("show", ["show"], []), ("metrics", ["metrics"], []), ("report", ["report"], ["-o", "{dir}/r.html"]),
            ("replay", ["replay"], []), ("rm", ["rm"], []), ("charts", ["charts"], ["--out", "{dir}/charts"]),
            ("resume", ["run", "{dir}/nb.rlhf", "--resume"], []),
        ]
        let ids: [(text: String, exit: Int32, error: String, label: String)] = [
            ("0", 1, "unknown run '0' (latest is 1)", "zero"),
            ("-1", 1, "unknown run '-1' (latest is 1)", "negative"),
            ("9223372036854775807", 1, "unknown run '9223372036854775807' (latest is 1)", "int64-max"),
            ("-9223372036854775808", 1, "unknown run '-9223372036854775808' (latest is 1)", "int64-min"),
            ("99999999999999999999", 64, "The value '99999999999999999999' is invalid", "beyond-int64"),
            ("1.5", 64, "The value '1.5' is invalid", "fraction"),
            ("", 64, "The value '' is invalid", "empty"),
            ("0x1", 64, "The value '0x1' is invalid", "hex"),
            ("١", 64, "The value '١' is invalid", "arabic-digit"),
        ]
        return commands.flatMap { command in
            ids.map { id in
                // --resume takes its value as an option: `--resume=-1` keeps a negative id from reading as an option.
                let arguments =
                    command.name == "resume"
                    ? ["run", "{dir}/nb.rlhf", "--resume=\(id.text)", "--store", "{store}"]
                    : command.prefix + command.suffix + ["--store", "{store}", "--", id.text]
                // `--resume=` with nothing after it is a missing value, not an invalid one.
                let missing = command.name == "resume" && id.text.isEmpty
                let error = missing ? "Missing value for '--resume <run>'" : id.error
                return BadInputCase(
                    name: "cli/\(command.name)-run/\(id.label)", arguments: arguments,
                    files: ["nb.rlhf": Array(BadInputCorpus.seedNotebook.utf8)], exit: id.exit, error: error)
            }
        } + [
            .cli("cli/diff-runs/zero", ["diff", "0", "1"], error: "unknown run '0' (latest is 1)"),
            .cli(
                "cli/diff-runs/int64-max", ["diff", "1", "9223372036854775807"],
                error: "unknown run '9223372036854775807' (latest is 1)"),
            .cli("cli/diff-runs/beyond-int64", ["diff", "99999999999999999999", "1"], error: "'99999999999999999999'"),
        ]
    }()

    /// `rlhf run` options that are missing, conflicting or name what does not exist. The notebook is the seed
    /// notebook (`nb.rlhf`, cells setup, feedback, reward, finetune) unless the case says otherwise.
    fileprivate static let cliRunOptions: [BadInputCase] = {
        let seed = Array(BadInputCorpus.seedNotebook.utf8)
        func run(
            _ name: String, _ options: [String], exit: Int32 = 1, error: String,
            files: [String: [UInt8]] = [:], store: BadInputCase.StoreExpectation = .unchanged
        ) -> BadInputCase {
            BadInputCase(
                name: "cli/run/\(name)", arguments: ["run", "{dir}/nb.rlhf", "--store", "{store}"] + options,
                files: files.isEmpty ? ["nb.rlhf": seed] : files, exit: exit, error: error, store: store)
        }
        let parameters = Array("# %% parameters\nsteps = 3\nlr = 0.1\n# %% a id=a\nx = steps\n".utf8)
        func param(_ name: String, _ value: String, error: String) -> BadInputCase {
            run("param-\(name)", ["--param", value], error: error, files: ["nb.rlhf": parameters])
        }
        let other = Array("# %% a id=a\nx = 1\n# %% b id=b\ny = 2\n".utf8)
        return [
            run(
                "cells-and-from-cell", ["--cells", "reward", "--from-cell", "reward", "--resume", "1"], exit: 64,
                error: "use either --cells or --from-cell"),
            run(
                "from-cell-without-resume", ["--from-cell", "reward"], exit: 64,
                error: "--from-cell needs --resume RUN"),
            run("resume-unknown-run", ["--resume", "9"], error: "unknown run '9' (latest is 1)"),
            run("resume-not-a-number", ["--resume", "x"], exit: 64, error: "The value 'x' is invalid for '--resume"),
            run("resume-succeeded-run", ["--resume", "1"], error: "cannot resume run 1: it succeeded"),
            // Run 1 ran the seed notebook; resuming it with a different notebook would mix two experiments.
            run(
                "resume-run-of-another-notebook", ["--resume", "1", "--from-cell", "b"],
                error: "cannot resume run 1", files: ["nb.rlhf": other]),
            run(
                "resume-another-notebook-without-from-cell", ["--resume", "1"], error: "cannot resume run 1",
                files: ["nb.rlhf": other]),
            run("from-cell-unknown-id", ["--resume", "1", "--from-cell", "nope"], error: "no cell with id 'nope'"),
            run("from-cell-empty", ["--resume", "1", "--from-cell", ""], error: "no cell with id ''"),
            run(
                "from-cell-zero", ["--resume", "1", "--from-cell", "0"],
                error: "cannot resume run 1: cells are numbered from 1, not 0"),
            run(
                "from-cell-negative", ["--resume", "1", "--from-cell=-3"],
                error: "cannot resume run 1: cells are numbered from 1, not -3"),
            run("from-cell-beyond-the-notebook", ["--resume", "1", "--from-cell", "9"], error: "cell 9"),
            run("cells-unknown-id", ["--cells", "nope"], error: "no cell 'nope' in {dir}/nb.rlhf"),
            run("cells-one-unknown-of-two", ["--cells", "reward,nope"], error: "no cell 'nope' in {dir}/nb.rlhf"),
            run("cells-empty", ["--cells", ""], exit: 64, error: "--cells needs at least one cell"),
            run("cells-only-commas", ["--cells", ",,"], exit: 64, error: "--cells needs at least one cell"),
            run("cells-zero", ["--cells", "0"], error: "no cell '0' in {dir}/nb.rlhf"),
            run("cells-beyond-the-notebook", ["--cells", "9"], error: "no cell '9' in {dir}/nb.rlhf"),
            run("cells-negative", ["--cells=-1"], error: "no cell '-1' in {dir}/nb.rlhf"),
            run(
                "cells-beyond-int64", ["--cells", "99999999999999999999"],
                error: "no cell '99999999999999999999' in {dir}/nb.rlhf"),
            run("cells-missing-value", ["--cells"], exit: 64, error: "Missing value for '--cells <ids>'"),
            run(
                "cells-with-unknown-resume", ["--cells", "finetune", "--resume", "9"],
                error: "unknown run '9' (latest is 1)"),
            run(
                "cells-of-a-never-run-notebook", ["--cells", "b"], error: "no earlier run of {dir}/nb.rlhf",
                files: ["nb.rlhf": other]),
            param("no-equals", "x", error: "--param 'x' is not name=value"),
            param("empty", "", error: "--param '' is not name=value"),
            param("empty-name", "=1", error: "--param '=1': '' is not a variable name"),
            param("double-equals", "steps==1", error: "--param steps: '=1' is not a literal"),
            param("unknown-name", "nope=1", error: "unknown parameter 'nope'"),
            param("name-with-space", "st eps=1", error: "'st eps' is not a variable name"),
            param("name-starts-with-digit", "1x=2", error: "'1x' is not a variable name"),
            param("keyword-name", "if=1", error: "'if' is not a variable name"),
            param("expression", "steps=1+1", error: "--param steps: '1+1' is not a literal"),
            param("call", "steps=print(1)", error: "--param steps: 'print(1)' is not a literal"),
            param("bare-word", "steps=foo", error: "--param steps: 'foo' is not a literal"),
            param("empty-value", "steps=", error: "--param steps: '' is not a literal"),
            param("unterminated-list", "steps=[1,", error: "--param steps: '[1,' is not a literal"),
            param("unterminated-string", "steps=\"x", error: "--param steps: '\"x' is not a literal"),
            param("integer-beyond-int64", "steps=99999999999999999999", error: "'99999999999999999999'"),
            param("nan-word", "lr=nan", error: "--param lr: 'nan' is not a literal"),
            param("double-minus", "lr=--1", error: "--param lr: '--1' is not a literal"),
            // 1e999 is infinity: a non-finite hyper-parameter must be refused, not recorded as `inf`.
            param("float-overflow", "lr=1e999", error: "1e999"),
            run("param-without-parameters-cell", ["--param", "x=1"], error: "has no parameters cell"),
            run("param-missing-value", ["--param"], exit: 64, error: "Missing value for '--param <name=value>'"),
        ]
    }()

    /// Notebooks that are not notebooks: directories, empty or binary files, files without cells, bad cell headers.
    fileprivate static let cliNotebookFiles: [BadInputCase] = [
        BadInputCase(
            name: "cli/notebook-is-a-directory", arguments: ["run", "{dir}/dir.rlhf", "--store", "{store}"],
            files: ["dir.rlhf/keep": []], exit: 1, error: "cannot read notebook '{dir}/dir.rlhf': it is a directory"),
        .cli("cli/notebook-is-dev-null", ["run", "/dev/null"], error: "'/dev/null'"),
        .cli("cli/notebook-in-missing-folder", ["run", "{dir}/.absent/x.rlhf"], error: "'{dir}/.absent/x.rlhf'"),
        .cli("cli/notebook-empty-path", ["run", ""], error: "cannot read notebook ''"),
        // Nothing to run is a mistake (a wrong file), not an empty success: no run is recorded.
        .notebook("cli/notebook-empty-file", "", error: "no code cells", store: .unchanged),
        .notebook(
            "cli/notebook-only-comments", "# a comment\n\n# another\n", error: "no code cells", store: .unchanged),
        .notebook(
            "cli/notebook-only-markdown", "# %% [markdown]\n# # Title\n", error: "no code cells", store: .unchanged),
        .notebook("cli/notebook-only-blank-lines", "\n\n\n   \n", error: "no code cells", store: .unchanged),
        .notebook(
            "cli/notebook-binary", bytes: [0x00, 0xFF, 0xFE, 0x01, 0x80, 0x0A, 0xC3, 0x28],
            error: "{dir}/nb.rlhf:1:", store: .unchanged),
        .notebook(
            "cli/notebook-utf16", bytes: [0xFF, 0xFE] + Array("x = 1\n".utf8).flatMap { [$0, 0] },
            error: "{dir}/nb.rlhf:1:", store: .unchanged),
        .notebook(
            "cli/notebook-latin1-in-second-cell",
            bytes: Array("# %% a id=a\nx = 1\n# %% b id=b\ny = \"".utf8)
                + [0xE9] + Array("\"\n".utf8), error: "{dir}/nb.rlhf:4:", store: .unchanged),
        .notebook(
            "cli/header-empty-id", "# %% a id=\nx = 1\n", error: "{dir}/nb.rlhf:1:1: error: empty cell id",
            store: .unchanged),
        .notebook(
            "cli/header-duplicate-ids", "# %% a id=a\nx = 1\n# %% b id=a\ny = 2\n",
            error: "{dir}/nb.rlhf:3:1: error: duplicate cell id 'a'", store: .unchanged),
        .notebook(
            "cli/header-id-equals-another-cells-number", "# %% a id=2\nx = 1\n# %% b\ny = 2\n",
            error: "duplicate cell id '2'", store: .unchanged),
        .notebook(
            "cli/header-id-given-twice", "# %% a id=a id=b\nx = 1\n",
            error: "{dir}/nb.rlhf:1:1: error: duplicate cell option 'id'", store: .unchanged),
        .notebook(
            "cli/header-unknown-option", "# %% a id=a frob=1\nx = 1\n",
            error: "{dir}/nb.rlhf:1:1: error: unknown cell option 'frob'", store: .unchanged),
        .notebook(
            "cli/header-syntax-error-in-second-cell", "# %% a id=a\nx = 1\n# %% b id=b\ny = (1\n",
            error: "{dir}/nb.rlhf:4:", store: .unchanged),
    ]

    /// `--store` and `RLHF_STORE` naming a directory, a text file, a device, nothing, or a deep path that does not
    /// exist: read commands must not create it, and commands that need recorded runs must not create it either.
    fileprivate static let cliStorePaths: [BadInputCase] = {
        let deep = "{dir}/.absent/deep/lab.sqlite"
        let readers: [(String, [String])] = [
            ("runs", ["runs"]), ("show", ["show", "1"]), ("log", ["log", "1/policy"]),
            ("diff", ["diff", "1/policy@1", "1/policy@2"]), ("query", ["query", "SELECT 1"]), ("check", ["check"]),
            ("metrics", ["metrics", "1"]), ("blame", ["blame", "1/prefs"]),
            ("report", ["report", "1", "-o", "{dir}/r.html"]),
            ("charts", ["charts", "1", "--out", "{dir}/charts"]),
        ]
        // Commands that write, but only to what a store already records: a missing store is an error, not a new file.
        let writers: [(String, [String])] = [
            ("rm", ["rm", "1"]), ("gc", ["gc"]), ("gc-dry-run", ["gc", "--dry-run"]),
            ("gc-vacuum", ["gc", "--vacuum"]),
            ("rollback", ["rollback", "1/policy", "--to", "1"]), ("replay", ["replay", "1"]),
            ("resume", ["run", "{dir}/nb.rlhf", "--resume", "1"]),
            ("cells", ["run", "{dir}/nb.rlhf", "--cells", "reward"]),
        ]
        let seed = ["nb.rlhf": Array(BadInputCorpus.seedNotebook.utf8), "notes.txt": Array("not a store\n".utf8)]
        var cases: [BadInputCase] = []
        for (name, arguments) in readers + writers {
            cases.append(
                BadInputCase(
                    name: "cli/missing-store/\(name)", arguments: arguments + ["--store", deep], files: seed, exit: 1,
                    error: "no store at \(deep)", store: .absent))
        }
        let commands = [("runs", ["runs"]), ("gc", ["gc"]), ("rm", ["rm", "1"]), ("run", ["run", "{dir}/nb.rlhf"])]
        for (name, arguments) in commands {
            cases += [
                BadInputCase(
                    name: "cli/store-is-a-directory/\(name)", arguments: arguments + ["--store", "{dir}/folder"],
                    files: seed.merging(["folder/keep": []]) { a, _ in a }, exit: 1, error: "is a directory"),
                BadInputCase(
                    name: "cli/store-is-a-text-file/\(name)", arguments: arguments + ["--store", "{dir}/notes.txt"],
                    files: seed, exit: 1, error: "not an RLHF Lab store: {dir}/notes.txt"),
                BadInputCase(
                    name: "cli/store-is-dev-null/\(name)", arguments: arguments + ["--store", "/dev/null"], files: seed,
                    exit: 1, error: "not an RLHF Lab store: /dev/null"),
                BadInputCase(
                    name: "cli/store-empty-path/\(name)", arguments: arguments + ["--store", ""], files: seed, exit: 1,
                    error: "store path is empty"),
                BadInputCase(
                    name: "cli/env-store-empty/\(name)", arguments: arguments, files: seed, exit: 1,
                    error: "store path is empty", environment: ["RLHF_STORE": ""]),
                BadInputCase(
                    name: "cli/store-is-a-uri/\(name)",
                    arguments: arguments + ["--store", "postgresql://me@localhost:5432/lab"], files: seed, exit: 1,
                    error: "--store 'postgresql://me@localhost:5432/lab' is a postgresql:// URI, not a path"),
                BadInputCase(
                    name: "cli/env-store-is-a-uri/\(name)", arguments: arguments, files: seed, exit: 1,
                    error: "RLHF_STORE 'https://example.invalid/lab.sqlite' is a https:// URI, not a path",
                    environment: ["RLHF_STORE": "https://example.invalid/lab.sqlite"]),
                BadInputCase(
                    name: "cli/env-store-is-a-directory/\(name)", arguments: arguments,
                    files: seed.merging(["folder/keep": []]) { a, _ in a }, exit: 1, error: "is a directory",
                    environment: ["RLHF_STORE": "{dir}/folder"]),
            ]
        }
        cases += [
            .cli(
                "cli/store-missing-value", ["runs", "--store"], exit: 64, error: "Missing value for '--store <path>'"),
            BadInputCase(
                name: "cli/env-store-missing-deep-path", arguments: ["runs"], files: seed, exit: 1,
                error: "no store at \(deep)", store: .absent, environment: ["RLHF_STORE": deep]),
            BadInputCase(
                name: "cli/env-store-missing-deep-path-rm", arguments: ["rm", "1"], files: seed, exit: 1,
                error: "no store at \(deep)", store: .absent, environment: ["RLHF_STORE": deep]),
            BadInputCase(
                name: "cli/env-store-text-file", arguments: ["show", "1"], files: seed, exit: 1,
                error: "not an RLHF Lab store: {dir}/notes.txt", environment: ["RLHF_STORE": "{dir}/notes.txt"]),
            BadInputCase(
                name: "cli/env-store-leading-space", arguments: ["runs"], files: seed, exit: 1,
                error: "no store at  {store}", store: .unchanged, environment: ["RLHF_STORE": " {store}"]),
        ]
        return cases
    }()

    /// Output paths of `report -o` and `charts --out` that cannot be written, and the shell's piped input.
    fileprivate static let cliOutputs: [BadInputCase] = {
        let files = ["notes.txt": Array("keep me\n".utf8)]
        return [
            BadInputCase(
                name: "cli/report-into-missing-folder",
                arguments: [
                    "report", "1", "-o", "{dir}/.absent/x/run.html",
                    "--store", "{store}",
                ], exit: 1, error: "'{dir}/.absent/x/run.html'"),
            BadInputCase(
                name: "cli/report-onto-a-directory",
                arguments: ["report", "1", "-o", "{dir}/out", "--store", "{store}"],
                files: ["out/keep": []], exit: 1, error: "cannot write '{dir}/out': Is a directory"),
            BadInputCase(
                name: "cli/report-empty-path", arguments: ["report", "1", "-o", "", "--store", "{store}"], exit: 1,
                error: "empty"),
            BadInputCase(
                name: "cli/report-missing-value", arguments: ["report", "1", "--store", "{store}", "-o"], exit: 64,
                error: "Missing value for '-o <file>'"),
            BadInputCase(
                name: "cli/charts-onto-a-file",
                arguments: ["charts", "1", "--out", "{dir}/notes.txt", "--store", "{store}"],
                files: files, exit: 1, error: "cannot create the folder '{dir}/notes.txt': File exists"),
            BadInputCase(
                name: "cli/charts-empty-path", arguments: ["charts", "1", "--out", "", "--store", "{store}"], exit: 1,
                error: "empty"),
            BadInputCase(
                name: "cli/charts-under-a-file",
                arguments: [
                    "charts", "1", "--out", "{dir}/notes.txt/sub", "--store",
                    "{store}",
                ], files: files, exit: 1, error: "'{dir}/notes.txt/sub'"),
            // Piped shell input that ends inside a bracket, block or string is an error, not silently dropped.
            .cli("cli/shell-unterminated-bracket", [], error: "<shell>:1:", store: .noNewCommit, stdin: "x = (1\n"),
            .cli("cli/shell-unterminated-block", [], error: "<shell>:1:", store: .noNewCommit, stdin: "if true {\n"),
            .cli("cli/shell-unterminated-string", [], error: "<shell>:1:", store: .noNewCommit, stdin: "x = \"abc\n"),
            .cli(
                "cli/shell-load-unknown-run", [], error: "unknown run '9'", store: .noNewCommit,
                stdin: "x = load(\"9/policy\")\n"),
            .cli(
                "cli/shell-load-bad-version", [], error: "version '0' is not a positive number",
                store: .noNewCommit, stdin: "x = load(\"1/policy@0\")\n"),
        ]
    }()
}
