import Alignment
import Engine
import Language
import Models
import Store

/// Built-ins for the alignment science of issue 6: more annotators, reward-model quality, sampling policies trained by
/// RLOO, PPO and DPO, original-versus-aligned comparison, the over-optimisation sweep, reward-model ensembles with
/// active querying, and the moderation task.
extension LabBuiltins {
    static func scienceBuiltins(_ lab: LabState) -> [Builtin] {
        annotatorAndPolicyBuiltins(lab) + ensembleBuiltins(lab) + moderationBuiltins(lab) + supportBuiltins(lab)
    }

    /// Annotators, reward-model quality, sampling policies and their optimisers, evaluation.
    static func annotatorAndPolicyBuiltins(_ lab: LabState) -> [Builtin] {
        [
            Builtin("Oracle", [], doc: "Annotator that always prefers the response of higher gold reward.") { _, _ in
                .native(AnnotatorValue(annotator: .oracle))
            },
            Builtin("Biased", [.labelled("toward", type: "string", default: .string("length")), .labelled("weight", type: "number")],
                    doc: "Annotator with the verbosity bias: P(a ≻ b) = σ(gold(a) − gold(b) + weight·(‖a‖ − ‖b‖)).") { args, context in
                .native(AnnotatorValue(annotator: try context.lab {
                    try Annotator(biasedToward: args.string("toward"), weight: args.double("weight"))
                }))
            },
            Builtin("Panel", [.labelled("annotators", type: "list")],
                    doc: "Majority vote of independent annotators; each row records how many agreed (prefs.disagreement is the mean split).") { args, context in
                let members = try args.list("annotators").enumerated().map { i, v -> Annotator in
                    guard case let .native(n) = v, let a = n as? AnnotatorValue else {
                        throw args.error("annotators", "must hold annotators, element \(i) is \(v.typeName)")
                    }
                    return a.annotator
                }
                return .native(AnnotatorValue(annotator: try context.lab { try Annotator(panel: members) }))
            },
            Builtin("split", [.positional("prefs", type: "Preferences"), .labelled("held_out", type: "number", default: .double(0.2))],
                    doc: "Splits preferences at random into [train, held_out].") { args, context in
                let data = try args.native("prefs", as: DatasetValue.self).dataset
                let (train, test) = try context.lab { try split(data, heldOut: args.double("held_out"), rng: &lab.rng) }
                return .list([.native(DatasetValue(dataset: train)), .native(DatasetValue(dataset: test))])
            },
            Builtin("assess", [.positional("rm", type: "RewardModel"), .positional("prefs", type: "Preferences"),
                               .positional("task", type: "VectorTask")],
                    doc: "Reward-model quality on pairs: accuracy (vs the annotator), gold_agreement (vs the hidden gold) and calibration_error.") { args, context in
                let rm = try rewardModel(args, "rm")
                let data = try args.native("prefs", as: DatasetValue.self).dataset
                let task = try args.native("task", as: TaskValue.self, typeName: "VectorTask").task
                let q = try context.lab { try assess(rm, on: data, task: task) }
                return .record(Record([
                    ("accuracy", .double(q.accuracy)), ("gold_agreement", .double(q.goldAgreement)),
                    ("calibration_error", .double(q.calibrationError)),
                ]))
            },
            Builtin("label_agreement", [.positional("prefs", type: "Preferences"), .positional("task", type: "VectorTask")],
                    doc: "Fraction of rows whose chosen response has the higher hidden gold reward (how truthful the labels are).") { args, context in
                let data = try args.native("prefs", as: DatasetValue.self).dataset
                let task = try args.native("task", as: TaskValue.self, typeName: "VectorTask").task
                return .double(try context.lab { try goldAgreement(data, task: task) })
            },
            Builtin("SamplingPolicy", [.positional("task", type: "VectorTask, ModerationTask or SupportTask"), .labelled("hidden", type: "int", default: .int(32))],
                    doc: "A categorical policy over the task's candidates (moderation actions, support replies): softmax of an MLP's logits given the prompt.") { args, context in
                let task = try candidateTask(args, "task")
                let hidden = try positive(args, "hidden")
                try checkValues(task.promptDim + task.candidateCount + 1, hidden, args, "hidden")
                return .native(SamplingPolicyValue(policy: SamplingPolicy(input: task.promptDim, hidden: hidden, candidates: task.candidateCount, rng: &lab.rng)))
            },
            policyGradientBuiltin(lab, .rloo),
            policyGradientBuiltin(lab, .ppo),
            Builtin("dpo", [
                .inPlace("policy", type: "SamplingPolicy"), .positional("prefs", type: "Preferences"), .positional("task", type: "VectorTask"),
                .labelled("beta", type: "number", default: .double(0.1)), .labelled("epochs", type: "int", default: .int(10)),
                .labelled("lr", type: "number", default: .double(1e-2)), .labelled("batch", type: "int", default: .int(32)),
                .labelled("reference", type: "SamplingPolicy", default: .nil),
            ], doc: "DPO on preferences over the task's candidates; logs NAME.loss, .accuracy, .gold, .kl, .entropy, .beta per epoch.") { args, context in
                var policy = try samplingPolicy(args, "policy")
                let data = try args.native("prefs", as: DatasetValue.self).dataset
                let task = try candidateTask(args, "task")
                let reference = try args.optional("reference").map { _ in try samplingPolicy(args, "reference") }
                let metrics = try context.lab {
                    try dpo(&policy, on: data, task: task, beta: args.double("beta"), epochs: args.int("epochs"), lr: args.double("lr"),
                            batch: atMost(args, "batch", maxRows), reference: reference, rng: &lab.rng, control: lab.control)
                }
                update(lab, args, "policy", policy)
                lab.record(metrics, prefix: args.variableName("policy"))
                return lastValues(metrics)
            },
            Builtin("expected_gold", [.positional("policy", type: "SamplingPolicy"), .positional("task", type: "VectorTask")],
                    doc: "E_π of the hidden gold reward over the task's held-out prompts (exact, no sampling).") { args, context in
                let policy = try samplingPolicy(args, "policy")
                let task = try candidateTask(args, "task")
                return .double(try context.lab { try task.expectedGold(policy) })
            },
            Builtin("compare", [
                .positional("original", type: "PolicyModel or SamplingPolicy"), .positional("aligned", type: "PolicyModel or SamplingPolicy"),
                .labelled("task", type: "VectorTask"), .labelled("judge", type: "Annotator", default: .nil),
            ], doc: "Slide 11 measured: gold-reward distributions (quartiles, mean, 95% CI) of both policies on held-out prompts and the aligned policy's win rate judged by `judge` (default oracle).") { args, context in
                try comparison(lab, args, context, original: "original", aligned: "aligned", task: "task")
            },
            Builtin("overoptimization", [
                .positional("policy", type: "PolicyModel"), .positional("rm", type: "RewardModel"), .positional("task", type: "VectorTask"),
                .labelled("steps", type: "int", default: .int(600)), .labelled("every", type: "int", default: .int(50)),
                .labelled("lr", type: "number", default: .double(1e-3)), .labelled("batch", type: "int", default: .int(16)),
            ], doc: "Gao et al. 2022: maximises the RM with no penalty from a copy of `policy`, measuring proxy and gold reward against √KL every `every` steps; logs overopt.sqrt_kl, .proxy, .gold.") { args, context in
                let policy = try policyModel(args, "policy")
                let rm = try rewardModel(args, "rm")
                let task = try args.native("task", as: TaskValue.self, typeName: "VectorTask").task
                let points = try context.lab {
                    try overoptimization(policy, rewardModel: rm, task: task, steps: args.int("steps"), every: args.int("every"),
                                         lr: args.double("lr"), batch: atMost(args, "batch", maxRows), rng: &lab.rng, control: lab.control)
                }
                lab.record(points.enumerated().flatMap { i, p in
                    [Metric("sqrt_kl", step: i, p.sqrtKL), Metric("proxy", step: i, p.proxy), Metric("gold", step: i, p.gold)]
                }, prefix: "overopt")
                return .list(points.map { p in
                    .record(Record([("steps", .int(p.steps)), ("sqrt_kl", .double(p.sqrtKL)), ("proxy", .double(p.proxy)), ("gold", .double(p.gold))]))
                })
            },
        ]
    }

    /// Original versus aligned on held-out prompts (`compare(…)`, and `evaluate(original, aligned, task:)`).
    static func comparison(_ lab: LabState, _ args: Arguments, _ context: CallContext, original originalName: String,
                           aligned alignedName: String, task taskName: String) throws -> Value {
        let task = try args.native(taskName, as: TaskValue.self, typeName: "VectorTask").task
        let judge = try args.optional("judge").map { _ in
            try args.native("judge", as: AnnotatorValue.self, typeName: "Annotator").annotator
        } ?? .oracle
        let c: Comparison
        if case let .native(n) = try args.value(originalName), let o = n as? SamplingPolicyValue {
            let a = try samplingPolicy(args, alignedName)
            c = try context.lab { try compare(o.policy, a, task: task, judge: judge, rng: &lab.rng) }
        } else {
            let (o, a) = (try policyModel(args, originalName), try policyModel(args, alignedName))
            c = try context.lab { try compare(o, a, task: task, judge: judge, rng: &lab.rng) }
        }
        func side(_ s: Summary, _ ci: ClosedRange<Double>) -> Value {
            guard case let .record(r) = summary(s) else { return .nil }
            return .record(Record(r.fields.map { ($0.key, $0.value) } + [("ci_low", .double(ci.lowerBound)), ("ci_high", .double(ci.upperBound))]))
        }
        return .record(Record([
            ("original", side(c.original, c.originalCI)), ("aligned", side(c.aligned, c.alignedCI)),
            ("win_rate", .double(c.winRate)), ("judge", .string(c.judge)),
        ]))
    }

    /// `rloo(...)` and `ppo(...)`: the same call, different update.
    static func policyGradientBuiltin(_ lab: LabState, _ method: PolicyGradientMethod) -> Builtin {
        var parameters: [Parameter] = [
            .inPlace("policy", type: "SamplingPolicy"), .positional("rm", type: "RewardModel"), .positional("task", type: "VectorTask"),
            .labelled("steps", type: "int", default: .int(100)), .labelled("lr", type: "number", default: .double(1e-2)),
            .labelled("kl", type: "number", default: .double(0.1)), .labelled("target_kl", type: "number", default: .nil),
            .labelled("horizon", type: "number", default: .double(1000)),
            .labelled("batch", type: "int", default: .int(16)), .labelled("samples", type: "int", default: .int(4)),
            .labelled("reference", type: "SamplingPolicy", default: .nil),
        ]
        if method == .ppo {
            parameters += [.labelled("epochs", type: "int", default: .int(4)), .labelled("clip", type: "number", default: .double(0.2))]
        }
        let what = method == .ppo
            ? "PPO (clipped ratio, several epochs per batch)" : "REINFORCE with the leave-one-out baseline"
        return Builtin(method.rawValue, parameters,
                       doc: "\(what) on RM score − kl·KL to `reference` (default: the policy as it was); `target_kl:` makes kl adaptive (Ziegler et al. 2019). Logs NAME.proxy, .gold, .kl, .entropy, .beta per step.") { args, context in
            var policy = try samplingPolicy(args, "policy")
            let rm = try rewardModel(args, "rm")
            let task = try candidateTask(args, "task")
            let reference = try args.optional("reference").map { _ in try samplingPolicy(args, "reference") }
            let beta = try args.double("kl")
            let control: KLControl = try args.optional("target_kl").map { _ in
                .adaptive(initial: beta, target: try args.double("target_kl"), horizon: try args.double("horizon"))
            } ?? .fixed(beta)
            let metrics = try context.lab {
                try optimize(&policy, rewardModel: rm, task: task, method: method, steps: args.int("steps"), lr: args.double("lr"),
                             kl: control, batch: atMost(args, "batch", maxRows), samples: atMost(args, "samples", maxRows),
                             epochs: method == .ppo ? args.int("epochs") : 1, clip: method == .ppo ? args.double("clip") : 0.2,
                             reference: reference, rng: &lab.rng, trainingControl: lab.control)
            }
            update(lab, args, "policy", policy)
            lab.record(metrics, prefix: args.variableName("policy"))
            return lastValues(metrics)
        }
    }

    static func samplingPolicy(_ args: Arguments, _ name: String) throws -> SamplingPolicy {
        try args.native(name, as: SamplingPolicyValue.self, typeName: "SamplingPolicy").policy
    }

    /// Hands a trained sampling policy back to the caller's variable and records its checkpoint under that name.
    static func update(_ lab: LabState, _ args: Arguments, _ parameter: String, _ policy: SamplingPolicy) {
        let value = SamplingPolicyValue(policy: policy)
        args.update(parameter, .native(value))
        if let name = args.variableName(parameter) { lab.checkpoints.append((name, .checkpoint(value.checkpoint))) }
    }

    /// A record of each series' first (`NAME_start`) and last value, in the order the series first appear.
    static func lastValues(_ metrics: [Metric]) -> Value {
        var names: [String] = []
        for m in metrics where !names.contains(m.name) { names.append(m.name) }
        var fields: [(String, Value)] = []
        for n in names {
            let series = metrics.filter { $0.name == n }
            fields.append((n + "_start", .double(series.first?.value ?? .nan)))
            fields.append((n, .double(series.last?.value ?? .nan)))
        }
        return .record(Record(fields))
    }
}

extension LabBuiltins {
    static func ensembleBuiltins(_ lab: LabState) -> [Builtin] {
        [
            Builtin("RewardEnsemble", [.labelled("input", type: "int"), .labelled("hidden", type: "int"),
                                       .labelled("members", type: "int", default: .int(5))],
                    doc: "k reward models; fit trains each on a bootstrap resample, collect(select: \"uncertainty\") queries where they disagree.") { args, context in
                let (i, h) = (try positive(args, "input"), try positive(args, "hidden"))
                let k = try atMost(args, "members", 64)
                try checkValues((i + 2) * max(k, 1), h, args, "hidden")
                return .native(EnsembleValue(ensemble: try context.lab { try RewardEnsemble(members: k, input: i, hidden: h, rng: &lab.rng) }))
            },
            Builtin("gold_agreement", [.positional("rm", type: "RewardModel or RewardEnsemble"), .positional("prefs", type: "Preferences"),
                                       .positional("task", type: "VectorTask")],
                    doc: "Fraction of pairs the model (or ensemble mean) ranks the way the hidden gold reward does.") { args, context in
                let data = try args.native("prefs", as: DatasetValue.self).dataset
                let task = try args.native("task", as: TaskValue.self, typeName: "VectorTask").task
                if case let .native(n) = try args.value("rm"), let e = n as? EnsembleValue {
                    return .double(try context.lab { try e.ensemble.goldAgreement(on: data, task: task) })
                }
                let rm = try rewardModel(args, "rm")
                return .double(try context.lab { try assess(rm, on: data, task: task).goldAgreement })
            },
        ]
    }

    /// `fit(ens, prefs, …)` for an ensemble: each member on its own bootstrap resample; logs NAME.loss, NAME.accuracy.
    static func fitEnsemble(_ lab: LabState, _ args: Arguments, _ context: CallContext, _ value: EnsembleValue) throws -> Value {
        var ensemble = value.ensemble
        let prefs = try args.native("prefs", as: DatasetValue.self).dataset
        guard prefs.dim == ensemble.input else {
            throw args.error("prefs", "holds responses of \(prefs.dim) values but the ensemble reads \(ensemble.input)")
        }
        let metrics = try context.lab {
            try ensemble.fit(on: prefs, epochs: args.int("epochs"), lr: args.double("lr"), batch: atMost(args, "batch", maxRows),
                             rng: &lab.rng, control: lab.control)
        }
        let updated = EnsembleValue(ensemble: ensemble)
        args.update("rm", .native(updated))
        if let name = args.variableName("rm") { lab.checkpoints.append((name, .checkpoint(updated.checkpoint))) }
        lab.record(metrics, prefix: args.variableName("rm"))
        let loss = metrics.filter { $0.name == "loss" }.map(\.value)
        return .record(Record([
            ("loss_start", .double(loss.first ?? .nan)), ("loss", .double(loss.last ?? .nan)),
            ("accuracy", .double(metrics.last { $0.name == "accuracy" }?.value ?? .nan)),
        ]))
    }

    /// `collect(…, select: "uncertainty", ensemble: ens, pool: n)`.
    static func collectActively(_ lab: LabState, _ args: Arguments, _ context: CallContext) throws -> Value {
        guard try args.string("select") == "uncertainty" else {
            throw args.error("select", "must be \"random\" or \"uncertainty\", got \"\(try args.string("select"))\"")
        }
        guard try args.optional("ensemble") != nil else {
            throw args.error("ensemble", "is needed with select: \"uncertainty\" (the ensemble whose disagreement picks the pairs)")
        }
        let ensemble = try args.native("ensemble", as: EnsembleValue.self, typeName: "RewardEnsemble").ensemble
        let task = try args.native("task", as: TaskValue.self, typeName: "VectorTask").task
        let policy = try args.optional("policy").map { _ in try policyModel(args, "policy") }
        let annotator = try args.native("annotator", as: AnnotatorValue.self).annotator
        let into = try args.optional("into").map { _ in try args.native("into", as: DatasetValue.self).dataset }
        let pool = try atMost(args, "pool", 1000)
        let data = try context.lab {
            let pairs = try atMost(args, "pairs", maxRows)
            try checkValues(pairs * pool + (into?.count ?? 0), 2 * task.dim, args, "pairs")
            return try collectByUncertainty(task: task, policy: policy, ensemble: ensemble, annotator: annotator, pairs: pairs,
                                            pool: pool, into: into ?? PreferenceDataset(), rng: &lab.rng, control: lab.control)
        }
        return .native(DatasetValue(dataset: data))
    }
}

extension LabBuiltins {
    static func moderationBuiltins(_ lab: LabState) -> [Builtin] {
        [
            Builtin("ModerationTask", [
                .labelled("dim", type: "int", default: .int(16)), .labelled("items", type: "int", default: .int(500)),
                .labelled("test_items", type: "int", default: .int(500)), .labelled("noise", type: "number", default: .double(0.3)),
            ], doc: "Slide 9: content items in five categories, actions allow/label/remove, and a hidden gold moderation policy.") { args, context in
                let task = try context.lab {
                    let dim = try atMost(args, "dim", maxDimension)
                    let counts = try ["items", "test_items"].map { try atMost(args, $0, maxRows) }
                    try checkValues(counts.reduce(0, +), dim, args, "dim")
                    return try ModerationTask(dim: dim, items: counts[0], testItems: counts[1], noise: Float(args.double("noise")), seed: lab.rng.next())
                }
                return .native(ModerationTaskValue(task: task))
            },
            Builtin("category_accuracy", [.positional("policy", type: "SamplingPolicy"), .positional("task", type: "ModerationTask")],
                    doc: "Per category, the fraction of held-out items on which the policy's most likely action is the gold policy's.") { args, context in
                let policy = try samplingPolicy(args, "policy")
                let task = try args.native("task", as: ModerationTaskValue.self, typeName: "ModerationTask").task
                let acc = try context.lab { try task.categoryAccuracy(policy) }
                return .list(zip(ModerationTask.categories, acc).map { .record(Record([("category", .string($0)), ("accuracy", .double($1))])) })
            },
        ]
    }

    static func supportBuiltins(_ lab: LabState) -> [Builtin] {
        [
            Builtin("SupportTask", [
                .labelled("dim", type: "int", default: .int(16)), .labelled("conversations", type: "int", default: .int(500)),
                .labelled("test_conversations", type: "int", default: .int(500)), .labelled("noise", type: "number", default: .double(0.3)),
            ], doc: "Slide 10: customer issues in four categories, eight replies (fix, clarify, escalate, deflect; polite or curt), and hidden gold satisfaction 1–5.") { args, context in
                let task = try context.lab {
                    let dim = try atMost(args, "dim", maxDimension)
                    let counts = try ["conversations", "test_conversations"].map { try atMost(args, $0, maxRows) }
                    try checkValues(counts.reduce(0, +), dim, args, "dim")
                    return try SupportTask(dim: dim, conversations: counts[0], testConversations: counts[1], noise: Float(args.double("noise")), seed: lab.rng.next())
                }
                return .native(SupportTaskValue(task: task))
            },
            Builtin("support_scorecard", [.positional("policy", type: "SamplingPolicy"), .positional("task", type: "SupportTask")],
                    doc: "Slide 10's measures on held-out conversations, exact under the policy's reply probabilities: satisfaction (1–5), resolution_rate, appropriateness, turns.") { args, context in
                let policy = try samplingPolicy(args, "policy")
                let task = try args.native("task", as: SupportTaskValue.self, typeName: "SupportTask").task
                return scorecardRecord(try context.lab { try task.scorecard(policy) })
            },
            Builtin("best_support_scorecard", [.positional("task", type: "SupportTask")],
                    doc: "The ceiling: support_scorecard's measures if every held-out conversation got its gold-best reply.") { args, _ in
                scorecardRecord(try args.native("task", as: SupportTaskValue.self, typeName: "SupportTask").task.optimalScorecard())
            },
        ]
    }

    static func scorecardRecord(_ card: SupportTask.Scorecard) -> Value {
        .record(Record([("satisfaction", .double(card.satisfaction)), ("resolution_rate", .double(card.resolutionRate)),
                        ("appropriateness", .double(card.appropriateness)), ("turns", .double(card.turns))]))
    }

    /// The task argument `name` as a candidate task (a VectorTask, a ModerationTask or a SupportTask).
    static func candidateTask(_ args: Arguments, _ name: String) throws -> any CandidateTask {
        if case let .native(n) = try args.value(name) {
            if let m = n as? ModerationTaskValue { return m.task }
            if let s = n as? SupportTaskValue { return s.task }
        }
        return try args.native(name, as: TaskValue.self, typeName: "VectorTask, ModerationTask or SupportTask").task
    }

    /// `collect(task, annotator:, pairs:, into:)` when the task's responses are a fixed set of candidates per prompt
    /// (a ModerationTask or a SupportTask).
    static func collectOverCandidates(_ lab: LabState, _ args: Arguments, _ context: CallContext, _ task: some CandidateTask,
                                      named typeName: String) throws -> Value {
        guard try args.optional("policy") == nil else {
            throw args.error("policy", "is not used with a \(typeName): feedback compares two of the task's candidates for one prompt")
        }
        let annotator = try args.native("annotator", as: AnnotatorValue.self).annotator
        let into = try args.optional("into").map { _ in try args.native("into", as: DatasetValue.self).dataset }
        let data = try context.lab {
            try checkValues(atMost(args, "pairs", maxRows) + (into?.count ?? 0), 2 * task.responseDim, args, "pairs")
            return try collect(candidates: task, annotator: annotator, pairs: args.int("pairs"), into: into ?? PreferenceDataset(),
                               rng: &lab.rng, control: lab.control)
        }
        return .native(DatasetValue(dataset: data))
    }
}
