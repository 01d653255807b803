import Language
/// The valid range of every numeric parameter of every lab built-in, in one table: each is checked before the built-in
/// runs, so `finetune(p, rm, task, lr: inf)` is refused at the argument instead of training a model full of NaN.
///
/// A test reads this table against the built-ins' declarations: every `int` or `number` parameter must have a range
/// here, and every range must name a real parameter.
extension LabBuiltins {
    /// Learning rates: above 0; beyond 100, Adam steps are larger than any weight this lab trains.
    static let learningRate = ValidRange.number(above: 0, atMost: 100)
    /// Optimisation steps of one call (each logs several metric points, so more would exhaust memory).
    static let steps = ValidRange.integer(1...1_000_000)
    static let epochs = ValidRange.integer(1...100_000)
    static let rows = ValidRange.integer(1...maxRows)
    /// Held-out sets: `evaluate`, `compare` and the scorecards pass over all of them in one go, with no check point
    /// inside, so their size bounds how long Ctrl-C may wait (about a second at this limit in a release build).
    static let testRows = ValidRange.integer(1...1_000_000)
    static let dimension = ValidRange.integer(1...maxDimension)
    /// A penalty weight (KL β, DPO β): finite; 1e6 already freezes the policy.
    static let weight = ValidRange.number(from: 0, to: 1e6)
    /// Noise of a task's gold reward or responses: far beyond 1000 the task is pure noise and Float overflows.
    static let noise = ValidRange.number(from: 0, to: 1000)

    /// Built-in name → (parameter, range), in declaration order.
    static let validRanges: [String: [(String, ValidRange)]] = [
        "seed": [("n", .anyInteger)],
        "VectorTask": [
            ("dim", .integer(2...maxDimension)), ("prompts", rows), ("candidates", .integer(2...maxRows)),
            ("test_prompts", testRows), ("noise", .number(above: 0, atMost: 1000)),
        ],
        "PolicyModel": [("input", dimension), ("hidden", dimension), ("output", dimension)],
        "RewardModel": [("input", dimension), ("hidden", dimension)],
        "BradleyTerry": [("noise", .number(from: 0, to: 1)), ("temperature", .number(above: 0, atMost: 1e6))],
        "collect": [("pairs", rows), ("pool", .integer(1...1000))],
        "fit": [
            ("epochs", epochs), ("lr", learningRate), ("batch", rows),
            ("held_out", .number(from: 0, to: 1, includingUpper: false)),
        ],
        "finetune": [("steps", steps), ("lr", learningRate), ("kl", weight), ("batch", rows)],
        "log_metric": [("value", .anyNumber)],
        "Biased": [("weight", .number(from: -1e6, to: 1e6))],
        "split": [("held_out", ValidRange(lower: (0, false), upper: (1, false), integer: false))],
        "SamplingPolicy": [("hidden", dimension)],
        "rloo": policyGradientRanges,
        "ppo": policyGradientRanges + [("epochs", .integer(1...1000)), ("clip", .number(above: 0, atMost: 100))],
        "dpo": [("beta", .number(above: 0, atMost: 1e6)), ("epochs", epochs), ("lr", learningRate), ("batch", rows)],
        "overoptimization": [("steps", steps), ("every", steps), ("lr", learningRate), ("batch", rows)],
        "RewardEnsemble": [("input", dimension), ("hidden", dimension), ("members", .integer(2...64))],
        "ModerationTask": [("dim", .integer(2...maxDimension)), ("items", rows), ("test_items", testRows), ("noise", noise)],
        "SupportTask": [
            ("dim", .integer(2...maxDimension)), ("conversations", rows), ("test_conversations", testRows),
            ("noise", noise),
        ],
        "rollback": [("to", .anyInteger)],
    ]

    static let policyGradientRanges: [(String, ValidRange)] = [
        ("steps", steps), ("lr", learningRate), ("kl", weight), ("target_kl", .number(above: 0, atMost: 1e6)),
        ("horizon", .number(above: 0, atMost: 1e9)), ("batch", rows), ("samples", .integer(2...maxRows)),
    ]

    /// `builtin` with its declared ranges checked before its body runs.
    static func checkingRanges(_ builtin: Builtin) -> Builtin {
        guard let ranges = validRanges[builtin.signature.name] else { return builtin }
        let body = builtin.body
        return Builtin(signature: builtin.signature) { args, context in
            for (name, range) in ranges { try args.check(name, in: range) }
            return try body(args, context)
        }
    }
}
