/// Run names and tags, `rlhf tag`, `rlhf runs --columns`, `rlhf sweep` and `rlhf compare` given what they cannot use.
/// The seeded store has run 1 (unnamed, no tags, no sweeps); nothing may change it.
extension BadInputCorpus {
    static let experiments: [BadInputCase] = {
        let seed = Array(BadInputCorpus.seedNotebook.utf8)
        let parameters = Array("# %% parameters\nkl = 0.1\nrun_seed = 1\n# %% a id=a\nseed(run_seed)\nx = kl\n".utf8)
        func run(_ name: String, _ options: [String], exit: Int32 = 64, error: String, setupSQL: String? = nil)
            -> BadInputCase
        {
            var c = BadInputCase(
                name: "cli/experiments/run-\(name)",
                arguments: ["run", "{dir}/nb.rlhf", "--store", "{store}"] + options,
                files: ["nb.rlhf": seed], exit: exit, error: error)
            c.setupSQL = setupSQL
            return c
        }
        func sweep(_ name: String, _ options: [String], exit: Int32 = 1, error: String, notebook: [UInt8]? = nil)
            -> BadInputCase
        {
            BadInputCase(
                name: "cli/experiments/sweep-\(name)",
                arguments: ["sweep", "{dir}/nb.rlhf", "--store", "{store}"] + options,
                files: ["nb.rlhf": notebook ?? parameters], exit: exit, error: error)
        }
        return [
            run(
                "name-starting-with-a-digit", ["--name", "1x"],
                error: "bad run name '1x': a run name starts with a letter"),
            run("name-with-slash", ["--name", "a/b"], error: "bad run name 'a/b': contains '/'"),
            run("name-empty", ["--name", ""], error: "bad run name '': a run name cannot be empty"),
            run("tag-empty", ["--tag", "ok", "--tag", ""], error: "bad tag '': a tag cannot be empty"),
            run("tag-with-space", ["--tag", "a b"], error: "bad tag 'a b': contains ' '"),
            run(
                "sweep-member-malformed", ["--sweep-member", "x"], error: "--sweep-member 'x' is not SWEEP:POINT[:SEED]"
            ),
            run(
                "name-taken", ["--name", "base"], exit: 1, error: "run name 'base' is taken by run 1",
                setupSQL: "UPDATE runs SET name = 'base' WHERE id = 1"),
            run("sweep-member-unknown-sweep", ["--sweep-member", "4:0"], exit: 1, error: "unknown sweep '4'"),
            .cli("cli/experiments/tag-unknown-run", ["tag", "9", "a"], error: "unknown run '9' (latest is 1)"),
            .cli(
                "cli/experiments/tag-unknown-name", ["tag", "nope", "a"],
                error: "unknown run 'nope' (no run has a name; give a run id)"),
            .cli("cli/experiments/tag-nothing", ["tag", "1"], exit: 64, error: "give tags to add, or --remove TAG"),
            .cli("cli/experiments/tag-bad", ["tag", "1", "a,b"], exit: 64, error: "bad tag 'a,b': contains ','"),
            .cli(
                "cli/experiments/runs-unknown-columns", ["runs", "--columns", "params,nope"], exit: 64,
                error: "unknown column group 'nope' in --columns 'params,nope'"),
            sweep("jobs-zero", ["--jobs", "0"], exit: 64, error: "--jobs must be 1 to 64, got '0'"),
            sweep("seeds-zero", ["--seeds", "0"], error: "--seeds '0': the count must be 1 to 100000"),
            sweep("seeds-word", ["--seeds", "ten"], error: "--seeds 'ten': 'ten' is not a seed"),
            sweep("param-unknown", ["--param", "beta=1,2"], error: "unknown parameter 'beta'"),
            sweep("param-not-a-literal", ["--param", "kl=0,x"], error: "--param kl: 'x' is not a literal"),
            sweep("param-empty-value", ["--param", "kl=0,"], error: "--param 'kl=0,': value 2 is empty"),
            sweep(
                "param-wrong-kind", ["--param", #"kl=0,"a""#],
                error: #"--param kl: '"a"' is a string, but the parameters cell"#),
            sweep(
                "seeds-without-a-seed-parameter", ["--seeds", "3"],
                error: "--seeds: {dir}/nb.rlhf has no `run_seed` parameter to set", notebook: seed),
            sweep(
                "seed-twice", ["--param", "run_seed=1,2", "--seeds", "2"],
                error: "--param run_seed=… and --seeds both"),
            .cli(
                "cli/experiments/sweep-missing-notebook", ["sweep", "{dir}/missing.rlhf"],
                error: "cannot read notebook '{dir}/missing.rlhf'"),
            .cli(
                "cli/experiments/compare-nothing", ["compare"], exit: 64, error: "give runs to compare, or --sweep ID"),
            .cli(
                "cli/experiments/compare-both", ["compare", "1", "--sweep", "1"], exit: 64,
                error: "give runs or --sweep ID, not both"),
            .cli(
                "cli/experiments/compare-unknown-sweep", ["compare", "--sweep", "3"],
                error: "unknown sweep '3' (the store has no sweeps yet)"),
            .cli("cli/experiments/compare-unknown-run", ["compare", "1", "9"], error: "unknown run '9' (latest is 1)"),
            .cli(
                "cli/experiments/compare-json-and-csv", ["compare", "1", "--json", "--csv"], exit: 64,
                error: "give --json or --csv, not both"),
            .cli(
                "cli/experiments/compare-unknown-metric", ["compare", "1", "--metric", "nope"],
                error: "no run compared logged metric 'nope' (metrics: policy.gold"),
        ]
    }()
}
