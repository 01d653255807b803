import Alignment
import Engine
import Language
import Models
import Store

/// The RLHF built-ins, declared once each: name, parameters with defaults, one doc line.
/// `:help`, completion and argument errors all read these declarations.
///
/// Each area of the lab declares its built-ins in its own file (`LabBuiltins+Area.swift`) and is listed here.
enum LabBuiltins {
    static func all(_ lab: LabState) -> [Builtin] {
        (seedBuiltins(lab) + scienceBuiltins(lab) + storeBuiltins(lab) + plotBuiltins(lab)).map(checkingRanges)
    }

    /// The seed deck's Slides 2–7 and 11: tasks, models, annotators, feedback, training, evaluation.
    static func seedBuiltins(_ lab: LabState) -> [Builtin] {
        [
            Builtin("seed", [.positional("n", type: "int")],
                    doc: "Reseeds the run's random generator; everything random after it is reproducible from n.") { args, _ in
                lab.rng = RNG(seed: UInt64(bitPattern: Int64(try args.int("n"))))
                return .nil
            },
            Builtin("VectorTask", [
                .labelled("dim", type: "int"), .labelled("prompts", type: "int", default: .int(256)),
                .labelled("candidates", type: "int", default: .int(64)), .labelled("test_prompts", type: "int", default: .int(200)),
                .labelled("noise", type: "number", default: .double(1)),
            ], doc: "The seed's vector world: prompts, candidate responses and a hidden gold reward, drawn from the run's generator.") { args, context in
                let task = try context.lab {
                    let dim = try atMost(args, "dim", maxDimension)
                    let counts = try ["prompts", "candidates", "test_prompts"].map { try atMost(args, $0, maxRows) }
                    try checkValues(counts.reduce(0, +), dim, args, "dim")
                    return try VectorTask(dim: dim, prompts: counts[0], candidates: counts[1], testPrompts: counts[2],
                                          noise: Float(args.double("noise")), seed: lab.rng.next())
                }
                return .native(TaskValue(task: task))
            },
            Builtin("PolicyModel", [.labelled("input", type: "int"), .labelled("hidden", type: "int"), .labelled("output", type: "int")],
                    doc: "Slide 2's policy: Linear → ReLU → Linear, initialised from the run's generator.") { args, _ in
                let (i, h, o) = (try positive(args, "input"), try positive(args, "hidden"), try positive(args, "output"))
                try checkValues(i + o + 1, h, args, "hidden")
                return .native(ModelValue(model: .policy(PolicyModel(input: i, hidden: h, output: o, rng: &lab.rng))))
            },
            Builtin("RewardModel", [.labelled("input", type: "int"), .labelled("hidden", type: "int")],
                    doc: "Slide 3's reward model: Linear → ReLU → Linear to one score.") { args, _ in
                let (i, h) = (try positive(args, "input"), try positive(args, "hidden"))
                try checkValues(i + 2, h, args, "hidden")
                return .native(ModelValue(model: .reward(RewardModel(input: i, hidden: h, rng: &lab.rng))))
            },
            Builtin("BradleyTerry", [.labelled("noise", type: "number", default: .double(0)), .labelled("temperature", type: "number", default: .double(1))],
                    doc: "Annotator preferring a over b with probability noise/2 + (1 − noise)·σ((gold(a) − gold(b)) / temperature).") { args, context in
                .native(AnnotatorValue(annotator: try context.lab {
                    try Annotator(bradleyTerryNoise: args.double("noise"), temperature: args.double("temperature"))
                }))
            },
            Builtin("Coin", [], doc: "The seed's Slide 4 annotator: a fair coin that ignores the responses.") { _, _ in
                .native(AnnotatorValue(annotator: .coin))
            },
            Builtin("collect", [
                .positional("task", type: "VectorTask"), .labelled("policy", type: "PolicyModel", default: .nil),
                .labelled("annotator", type: "Annotator"), .labelled("pairs", type: "int"),
                .labelled("into", type: "Preferences", default: .nil),
                .labelled("select", type: "string", default: .string("random")), .labelled("ensemble", type: "RewardEnsemble", default: .nil),
                .labelled("pool", type: "int", default: .int(10)),
            ], doc: "Simulated pairwise feedback on the policy's sampled responses (or the task's candidates); appends to `into`. select: \"uncertainty\" labels only the pairs, of pool × pairs drawn, the ensemble disagrees on most.") { args, context in
                // Checked even where it is not used, so that `pool: "big"` is an error rather than silently ignored.
                _ = try args.int("pool")
                if case let .native(n) = try args.value("task") {
                    if let m = n as? ModerationTaskValue { return try collectOverCandidates(lab, args, context, m.task, named: "ModerationTask") }
                    if let s = n as? SupportTaskValue { return try collectOverCandidates(lab, args, context, s.task, named: "SupportTask") }
                }
                if try args.string("select") != "random" || args.isPassed("ensemble") { return try collectActively(lab, args, context) }
                let task = try args.native("task", as: TaskValue.self).task
                let policy = try args.optional("policy").map { _ in try policyModel(args, "policy") }
                let annotator = try args.native("annotator", as: AnnotatorValue.self).annotator
                let into = try args.optional("into").map { _ in try args.native("into", as: DatasetValue.self).dataset }
                let data = try context.lab {
                    try checkValues(atMost(args, "pairs", maxRows) + (into?.count ?? 0), 2 * task.dim, args, "pairs")
                    return try collect(task: task, policy: policy, annotator: annotator, pairs: args.int("pairs"),
                                into: into ?? PreferenceDataset(), rng: &lab.rng, control: lab.control)
                }
                return .native(DatasetValue(dataset: data))
            },
            Builtin("fit", [
                .inPlace("rm", type: "RewardModel"), .positional("prefs", type: "Preferences"),
                .labelled("epochs", type: "int", default: .int(10)), .labelled("lr", type: "number", default: .double(1e-3)),
                .labelled("batch", type: "int", default: .int(32)), .labelled("held_out", type: "number", default: .double(0)),
                .labelled("task", type: "VectorTask", default: .nil),
            ], doc: "Trains the reward model (or each member of a RewardEnsemble on a bootstrap resample) with the Bradley–Terry loss −log σ(r⁺ − r⁻) and Adam; logs NAME.loss and NAME.accuracy per epoch (NAME: the model's variable). held_out: a fraction kept out of training, on which accuracy is measured; task: also logs gold_agreement and calibration_error.") { args, context in
                if case let .native(n) = try args.value("rm"), let e = n as? EnsembleValue { return try fitEnsemble(lab, args, context, e) }
                var rm = try rewardModel(args, "rm")
                let prefs = try args.native("prefs", as: DatasetValue.self).dataset
                let task = try args.optional("task").map { _ in try args.native("task", as: TaskValue.self).task }
                let metrics = try context.lab {
                    try fit(&rm, on: prefs, epochs: args.int("epochs"), lr: args.double("lr"), batch: atMost(args, "batch", maxRows),
                            heldOut: args.double("held_out"), task: task, rng: &lab.rng, control: lab.control)
                }
                lab.update(args, "rm", ModelValue(model: .reward(rm)))
                lab.record(metrics, prefix: args.variableName("rm"))
                let loss = metrics.filter { $0.name == "loss" }.map(\.value)
                return .record(Record([
                    ("loss_start", .double(loss.first ?? .nan)), ("loss", .double(loss.last ?? .nan)),
                    ("accuracy", .double(metrics.last { $0.name == "accuracy" }?.value ?? .nan)),
                    ("gold_agreement", .double(metrics.last { $0.name == "gold_agreement" }?.value ?? .nan)),
                    ("calibration_error", .double(metrics.last { $0.name == "calibration_error" }?.value ?? .nan)),
                ]))
            },
            Builtin("finetune", [
                .inPlace("policy", type: "PolicyModel"), .positional("rm", type: "RewardModel"),
                .positional("task", type: "VectorTask"),
                .labelled("steps", type: "int", default: .int(500)), .labelled("lr", type: "number", default: .double(1e-3)),
                .labelled("kl", type: "number", default: .double(0)), .labelled("batch", type: "int", default: .int(16)),
                .labelled("reference", type: "PolicyModel", default: .nil),
            ], doc: "Slide 6: maximises the RM score of the policy's responses minus kl × KL to `reference` (default: the policy as it was); logs NAME.rm_score, .gold, .kl, .loss per step.") { args, context in
                var policy = try policyModel(args, "policy")
                let rm = try rewardModel(args, "rm")
                let task = try args.native("task", as: TaskValue.self).task
                let reference = try args.optional("reference").map { _ in try policyModel(args, "reference") }
                let metrics = try context.lab {
                    try finetune(&policy, rewardModel: rm, task: task, steps: args.int("steps"), lr: args.double("lr"),
                                 kl: args.double("kl"), batch: atMost(args, "batch", maxRows), reference: reference, rng: &lab.rng,
                                 control: lab.control)
                }
                lab.update(args, "policy", ModelValue(model: .policy(policy)))
                lab.record(metrics, prefix: args.variableName("policy"))
                func series(_ name: String) -> [Double] { metrics.filter { $0.name == name }.map(\.value) }
                let (score, gold, kl) = (series("rm_score"), series("gold"), series("kl"))
                return .record(Record([
                    ("rm_score_start", .double(score.first ?? .nan)), ("rm_score", .double(score.last ?? .nan)),
                    ("gold_start", .double(gold.first ?? .nan)), ("gold", .double(gold.last ?? .nan)),
                    ("kl", .double(kl.last ?? .nan)),
                ]))
            },
            Builtin("evaluate", [
                .positional("policy", type: "PolicyModel"), .positional("task", type: "VectorTask"),
                .labelled("rm", type: "RewardModel", default: .nil),
                Parameter(label: "task", name: "compare_task", type: "VectorTask", defaultValue: .nil),
                .labelled("judge", type: "Annotator", default: .nil),
            ], doc: "Slide 11, measured: gold reward (and RM score) of the policy's responses to held-out prompts, with quartiles; `samples` holds each response's gold reward. evaluate(original, aligned, task:, judge:) compares two policies (see compare).") { args, context in
                if args.isPassed("compare_task") {
                    return try comparison(lab, args, context, original: "policy", aligned: "task", task: "compare_task")
                }
                let policy = try policyModel(args, "policy")
                let task = try args.native("task", as: TaskValue.self).task
                let rm = try args.optional("rm").map { _ in try rewardModel(args, "rm") }
                // A judge only matters when comparing two policies; one of the wrong type is still an error.
                if try args.optional("judge") != nil { _ = try args.native("judge", as: AnnotatorValue.self, typeName: "Annotator") }
                let e = try context.lab { try evaluate(policy, task: task, rewardModel: rm) }
                return .record(Record([
                    ("gold", summary(e.gold)), ("rm", e.rmScore.map(summary) ?? .nil), ("norm", .double(e.responseNorm)),
                    ("samples", .list(e.goldSamples.map(Value.double))),
                ]))
            },
            Builtin("accuracy", [.positional("rm", type: "RewardModel"), .positional("prefs", type: "Preferences")],
                    doc: "Fraction of pairs the reward model ranks the way the annotator did.") { args, _ in
                .double(accuracy(try rewardModel(args, "rm"), on: try args.native("prefs", as: DatasetValue.self).dataset))
            },
            Builtin("log_metric", [.positional("name", type: "string"), .positional("value", type: "number")],
                    doc: "Records a metric point (next step of the series `name`) in this cell's commit.") { args, context in
                let name = try args.string("name")
                guard !name.isEmpty else { throw args.error("name", "metric name must not be empty") }
                lab.record([Metric(name, step: 0, try args.double("value"))])
                return .nil
            },
        ]
    }

    // Sizes a notebook may ask for. Larger requests would exhaust memory (a crash, not an error), so they are refused.
    static let maxDimension = 100_000
    static let maxRows = 10_000_000
    static let maxValues = 100_000_000

    static func positive(_ args: Arguments, _ name: String) throws -> Int {
        let n = try args.int(name)
        guard n >= 1 else { throw args.error(name, "must be at least 1, got \(n)") }
        return try atMost(args, name, maxDimension)
    }

    /// The integer argument `name`, refused above `limit` (lower bounds are the alignment functions' to check).
    static func atMost(_ args: Arguments, _ name: String, _ limit: Int) throws -> Int {
        let n = try args.int(name)
        guard n <= limit else { throw args.error(name, "must be at most \(limit), got \(n)") }
        return n
    }

    /// Refuses an allocation of rows × columns floats beyond `maxValues`, blaming argument `name`.
    static func checkValues(_ rows: Int, _ columns: Int, _ args: Arguments, _ name: String) throws {
        let (total, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, total <= maxValues else {
            throw args.error(name, "asks for \(rows) × \(columns) values; the limit is \(maxValues)")
        }
    }

    static func policyModel(_ args: Arguments, _ name: String) throws -> PolicyModel {
        guard case let .policy(p) = try args.native(name, as: ModelValue.self, typeName: "PolicyModel").model else {
            throw args.error(name, "must be a PolicyModel, got RewardModel")
        }
        return p
    }

    static func rewardModel(_ args: Arguments, _ name: String) throws -> RewardModel {
        guard case let .reward(r) = try args.native(name, as: ModelValue.self, typeName: "RewardModel").model else {
            throw args.error(name, "must be a RewardModel, got PolicyModel")
        }
        return r
    }

    static func summary(_ s: Summary) -> Value {
        .record(Record([
            ("mean", .double(s.mean)), ("std", .double(s.std)), ("min", .double(s.min)), ("q1", .double(s.q1)),
            ("median", .double(s.median)), ("q3", .double(s.q3)), ("max", .double(s.max)), ("n", .int(s.count)),
        ]))
    }
}

extension CallContext {
    /// Runs an alignment step, turning its errors into runtime errors located at this call.
    func lab<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as AlignmentError {
            throw self.error(error.description)
        } catch let error as StateDictError {
            throw self.error(error.description)
        }
    }
}
