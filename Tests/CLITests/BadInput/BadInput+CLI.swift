/// Arguments and references given to the CLI: unknown runs, objects and versions, malformed references, unknown
/// commands and options.
extension BadInputCorpus {
    static let cli: [BadInputCase] = [
        .cli("cli/show-unknown-run", ["show", "9"], error: "unknown run '9' (latest is 1)"),
        .cli("cli/show-not-a-number", ["show", "x"], exit: 64, error: "The value 'x' is invalid for '<run>'"),
        .cli("cli/log-unknown-object", ["log", "1/nope"], error: "run 1 has no object 'nope'"),
        .cli("cli/log-unknown-run", ["log", "9/policy"], error: "unknown run '9' (latest is 1)"),
        .cli("cli/log-empty-version", ["log", "1/policy@"], error: "bad reference '1/policy@'"),
        .cli("cli/log-empty-run", ["log", "/policy"], error: "bad reference '/policy'"),
        .cli("cli/diff-unknown-version", ["diff", "1/policy@1", "1/policy@7"], error: "has no version 7 in run 1"),
        .cli("cli/diff-unknown-run", ["diff", "1/policy", "2/policy"], error: "unknown run '2' (latest is 1)"),
        .cli("cli/rollback-unknown-version", ["rollback", "1/policy", "--to", "9"], error: "has no version 9 in run 1"),
        .cli("cli/unknown-subcommand", ["bogus"], exit: 64, error: "Unexpected argument 'bogus'"),
        .cli("cli/unknown-option", ["runs", "--frobnicate"], exit: 64, error: "Unknown option '--frobnicate'"),
        .cli("cli/metrics-unknown-run", ["metrics", "42"], error: "unknown run '42' (latest is 1)"),
        .cli("cli/blame-a-checkpoint", ["blame", "1/policy"], error: "1/policy is a checkpoint, not a dataset"),
        .cli("cli/report-unknown-run", ["report", "7"], error: "unknown run '7' (latest is 1)"),
        .cli("cli/replay-unknown-run", ["replay", "12"], error: "unknown run '12' (latest is 1)"),
        .cli("cli/rm-unknown-run", ["rm", "99"], error: "unknown run '99' (latest is 1)"),
        .cli("cli/run-missing-notebook", ["run", "missing.rlhf"], error: "cannot read notebook 'missing.rlhf'"),
        .cli("cli/query-without-sql", ["query"], exit: 64, error: "Missing expected argument '<sql>'"),
        .notebook("cli/notebook-unknown-name", "# %% a id=a\nx = nope\n", error: "nb.rlhf:2:5: error: undefined variable 'nope' at cell 'a' line 1"),
    ]
}
