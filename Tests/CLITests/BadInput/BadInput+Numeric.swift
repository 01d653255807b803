/// Numeric arguments of the lab built-ins outside their declared ranges (the infinities, NaN, negative, zero where
/// meaningless, absurdly large), training that blows up to NaN, and `--cell-timeout`: each is refused or stopped with
/// a located error and nothing is committed.
extension BadInputCorpus {
    static var numeric: [BadInputCase] { numericRanges + numericBlowUps + cellTimeouts }

    /// Built in the failing cell itself, so the failure rolls them back and the case commits nothing.
    static let numericSetup = """
        seed(1)
        task = VectorTask(dim: 4, prompts: 8, candidates: 4, test_prompts: 4, contextual: false)
        p = PolicyModel(input: 4, hidden: 4, output: 4)
        rm = RewardModel(input: 4, hidden: 4)
        sp = SamplingPolicy(task, hidden: 4)
        ann = BradleyTerry()
        prefs = collect(task, annotator: ann, pairs: 8)
        """

    /// One numeric parameter: the call with `{}` where the argument goes, and the range its message states.
    struct NumericParameter {
        var call: String
        var name: String
        var range: String
        var values: [String]
    }

    static let finite = ["inf", "-inf", "nan", "1e300"]

    static let numericParameters: [NumericParameter] = [
        .init(
            call: "finetune(p, rm, task, {})", name: "lr", range: "a finite number > 0 and ≤ 100",
            values: finite + ["0", "-1", "1000"]),
        .init(
            call: "finetune(p, rm, task, {})", name: "kl", range: "a finite number between 0 and 1000000",
            values: finite + ["-1"]),
        .init(
            call: "finetune(p, rm, task, {})", name: "steps", range: "an integer between 1 and 1000000",
            values: ["0", "-5", "2000000", "2.5", "inf"]),
        .init(
            call: "finetune(p, rm, task, {})", name: "batch", range: "an integer between 1 and 10000000",
            values: ["0", "-1", "1e300"]),
        .init(call: "fit(rm, prefs, {})", name: "lr", range: "a finite number > 0 and ≤ 100", values: finite + ["0"]),
        .init(
            call: "fit(rm, prefs, {})", name: "epochs", range: "an integer between 1 and 100000",
            values: ["0", "-1", "1000000", "nan"]),
        .init(
            call: "fit(rm, prefs, {})", name: "held_out", range: "a finite number ≥ 0 and < 1",
            values: ["nan", "1", "-0.5", "inf"]),
        .init(
            call: "collect(task, annotator: ann, {})", name: "pairs", range: "an integer between 1 and 10000000",
            values: ["0", "-3", "20000000", "nan"]),
        .init(
            call: "collect(task, annotator: ann, pairs: 4, {})", name: "pool", range: "an integer between 1 and 1000",
            values: ["0", "5000"]),
        .init(
            call: "VectorTask(dim: 4, {})", name: "noise", range: "a finite number > 0 and ≤ 1000",
            values: finite + ["0", "-1"]),
        .init(
            call: "VectorTask({})", name: "dim", range: "an integer between 2 and 100000",
            values: ["1", "-4", "200000"]),
        .init(
            call: "BradleyTerry({})", name: "noise", range: "a finite number between 0 and 1",
            values: ["nan", "-0.1", "1.5", "inf"]),
        .init(
            call: "BradleyTerry({})", name: "temperature", range: "a finite number > 0 and ≤ 1000000",
            values: ["0", "-1", "inf", "nan"]),
        .init(
            call: "Biased({})", name: "weight", range: "a finite number between -1000000 and 1000000",
            values: ["inf", "nan", "1e300"]),
        .init(
            call: "split(prefs, {})", name: "held_out", range: "a finite number > 0 and < 1",
            values: ["0", "1", "nan", "inf"]),
        .init(
            call: "rloo(sp, rm, task, {})", name: "lr", range: "a finite number > 0 and ≤ 100",
            values: ["inf", "nan", "0"]),
        .init(
            call: "rloo(sp, rm, task, {})", name: "kl", range: "a finite number between 0 and 1000000",
            values: ["inf", "-0.1"]),
        .init(
            call: "rloo(sp, rm, task, target_kl: 0.1, {})", name: "horizon",
            range: "a finite number > 0 and ≤ 1000000000",
            values: ["inf", "0", "nan"]),
        .init(
            call: "rloo(sp, rm, task, {})", name: "target_kl", range: "a finite number > 0 and ≤ 1000000",
            values: ["nan", "0"]),
        .init(
            call: "rloo(sp, rm, task, {})", name: "samples", range: "an integer between 2 and 10000000",
            values: ["1", "0"]),
        .init(
            call: "ppo(sp, rm, task, {})", name: "clip", range: "a finite number > 0 and ≤ 100",
            values: ["0", "-0.2", "inf", "nan"]),
        .init(
            call: "ppo(sp, rm, task, {})", name: "epochs", range: "an integer between 1 and 1000",
            values: ["0", "5000"]),
        .init(
            call: "dpo(sp, prefs, task, {})", name: "beta", range: "a finite number > 0 and ≤ 1000000",
            values: ["0", "-1", "inf", "nan"]),
        .init(call: "dpo(sp, prefs, task, {})", name: "lr", range: "a finite number > 0 and ≤ 100", values: ["1e300"]),
        .init(
            call: "overoptimization(p, rm, task, {})", name: "every", range: "an integer between 1 and 1000000",
            values: ["0"]),
        .init(
            call: "RewardEnsemble(input: 4, hidden: 4, {})", name: "members", range: "an integer between 2 and 64",
            values: ["1", "100"]),
        .init(
            call: "ModerationTask({})", name: "noise", range: "a finite number between 0 and 1000",
            values: ["-1", "inf", "nan"]),
        .init(call: "SupportTask({})", name: "noise", range: "a finite number between 0 and 1000", values: ["1e300"]),
        .init(
            call: "PolicyModel(input: 4, output: 4, {})", name: "hidden", range: "an integer between 1 and 100000",
            values: ["0", "-1"]),
        .init(
            call: "SamplingPolicy(task, {})", name: "hidden", range: "an integer between 1 and 100000", values: ["0"]),
    ]

    /// How a value is written (the language has no literal for the infinities and NaN) and how the message shows it.
    static func numericLiteral(_ value: String) -> (written: String, shown: String) {
        switch value {
        case "inf", "-inf", "nan": ("float(\"\(value)\")", value)
        case "1e300": (value, "1e+300")
        default: (value, value)
        }
    }

    static var numericRanges: [BadInputCase] {
        let line = numericSetup.split(separator: "\n").count + 2
        return numericParameters.flatMap { parameter in
            parameter.values.map { value -> BadInputCase in
                let (written, shown) = numericLiteral(value)
                let call = "x = " + parameter.call.replacingOccurrences(of: "{}", with: "\(parameter.name): \(written)")
                let column =
                    call.distance(from: call.startIndex, to: call.range(of: parameter.name + ":")!.lowerBound) + 1
                let builtin = String(parameter.call.prefix { $0 != "(" })
                return .notebook(
                    "numeric/\(builtin)-\(parameter.name)-\(value)",
                    "# %% bad id=bad\n\(numericSetup)\n\(call)\n",
                    error: "nb.rlhf:\(line):\(column): error: \(builtin)(): argument '\(parameter.name)' must be "
                        + "\(parameter.range), got \(shown)")
            }
        }
    }

    /// Training whose loss becomes NaN (a task noise so small that the KL scale 1/(2σ²) overflows): the cell stops
    /// with the step, and the half-trained policy is never committed.
    static let numericBlowUps: [BadInputCase] = [
        ("finetune-kl0", "finetune(p, rm, tiny, steps: 5, kl: 0)", "finetune(): the loss became NaN at step 0"),
        (
            "finetune-kl", "finetune(p, rm, tiny, steps: 5, kl: 0.5, lr: 1e-2)",
            "finetune(): the loss became NaN at step 0"
        ),
        ("finetune-batch1", "finetune(p, rm, tiny, steps: 50, batch: 1)", "finetune(): the loss became NaN at step 0"),
        (
            "overoptimization", "overoptimization(p, rm, tiny, steps: 10, every: 5)",
            "finetune(): the loss became NaN at step 0"
        ),
        (
            "finetune-in-loop", "for i in range(3) { finetune(p, rm, tiny, steps: 2) }",
            "finetune(): the loss became NaN at step 0"
        ),
    ].map { name, call, error in
        .notebook(
            "numeric/blow-up-\(name)",
            "# %% bad id=bad\n\(numericSetup)\ntiny = VectorTask(dim: 4, prompts: 8, candidates: 4, test_prompts: 4, noise: 1e-30, contextual: false)\n\(call)\n",
            error: error)
    }

    /// `--cell-timeout` values refused before anything runs, and cells stopped by it (exit 124, recorded cancelled).
    static var cellTimeouts: [BadInputCase] {
        let refused = ["0", "-1", "nan", "inf", "-inf", "1e300", "0.0"].map { value in
            BadInputCase.notebook(
                "numeric/cell-timeout-\(value)", "# %% a id=a\nprint(1)\n", extra: ["--cell-timeout=\(value)"],
                exit: 64,
                error: "--cell-timeout must be a number of seconds > 0 (at most 1e9)", store: .unchanged)
        }
        let unparsable = [
            ("abc", "'abc' is invalid for '--cell-timeout"), ("5s", "'5s' is invalid for '--cell-timeout"),
            ("", "Missing value for '--cell-timeout"),
        ].map { value, error in
            BadInputCase.notebook(
                "numeric/cell-timeout-text-\(value.isEmpty ? "empty" : value)", "# %% a id=a\nprint(1)\n",
                extra: ["--cell-timeout=\(value)"], exit: 64, error: error, store: .unchanged)
        }
        let stopped = [
            ("while", "while true { n = n + 1 }", "3:1"),
            ("for", "for i in range(100000) { for j in range(100000) { n = n + 1 } }", nil),
            (
                "finetune",
                "p = PolicyModel(input: 4, hidden: 4, output: 4)\nrm = RewardModel(input: 4, hidden: 4)\n"
                    + "task = VectorTask(dim: 4, contextual: false)\nfinetune(p, rm, task, steps: 1000000)", "6:9"
            ),
            ("function-calls", "fn f(k) { return k + 1 }\nwhile true { n = f(n) }", nil),
        ].map { (name: String, body: String, place: String?) in
            BadInputCase.notebook(
                "numeric/cell-timeout-stops-\(name)", "# %% slow id=slow\nn = 0\n\(body)\n",
                extra: ["--cell-timeout", "0.5"],
                exit: 124, error: (place.map { "nb.rlhf:\($0): " } ?? "") + "error: cell exceeded --cell-timeout 0.5 s")
        }
        return refused + unparsable + stopped
    }
}
