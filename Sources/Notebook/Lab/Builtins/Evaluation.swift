import Alignment
import Engine
import Language
import Models

/// Measuring policies on held-out prompts: gold reward (Slide 11), original versus aligned, the over-optimisation
/// sweep, and the moderation and support scorecards.
extension LabBuiltins {
    static func evaluationBuiltins(_ lab: LabState) -> [Builtin] {
        [
            .overloaded([evaluateOne()] + comparisons(lab, named: "evaluate") + [textEvaluateBuiltin(lab)]),
            .overloaded(comparisons(lab, named: "compare")),
            expectedGold(), expectedKL(), overoptimizationBuiltin(lab),
        ] + scorecards()
    }

    static func evaluateOne() -> Builtin {
        let policy = Param.positional("policy", .policyModel), task = Param.positional("task", .vectorTask)
        let rm = Param.optional("rm", .rewardModel)
        // Only a comparison uses a judge; notebooks that pass one here keep running.
        let judge = Param.optional("judge", .annotator)
        return Builtin(
            "evaluate", [policy, task, rm, judge],
            doc:
                "Slide 11, measured: gold reward (and RM score) of the policy's responses to held-out prompts, with quartiles; `samples` holds each response's gold reward. (`judge` is used only when comparing two policies.)"
        ) { args, context in
            let (model, vectorTask, rewardModel) = (try policy(args), try task(args), try rm(args))
            let e = try context.lab { try evaluate(model, task: vectorTask, rewardModel: rewardModel) }
            return .record(
                Record([
                    ("gold", summary(e.gold)), ("rm", e.rmScore.map(summary) ?? .nil),
                    ("norm", .double(e.responseNorm)),
                    ("samples", .list(e.goldSamples.map(Value.double))),
                ]))
        }
    }

    /// `compare(original, aligned, task:, judge:)` for two policy models and for two sampling policies; `evaluate`
    /// of two policies is the same call.
    static func comparisons(_ lab: LabState, named name: String) -> [Builtin] {
        let doc =
            name == "evaluate"
            ? "Compares two policies, as compare does."
            : "Slide 11 measured: gold-reward distributions (quartiles, mean, 95% CI) of both policies on held-out prompts and the aligned policy's win rate judged by `judge` (default oracle)."
        let task = Param.labelled("task", .vectorTask), judge = Param.optional("judge", .annotator)
        let originalModel = Param.positional("original", .policyModel)
        let alignedModel = Param.positional("aligned", .policyModel)
        let originalSampling = Param.positional("original", .samplingPolicy)
        let alignedSampling = Param.positional("aligned", .samplingPolicy)
        return [
            Builtin(name, [originalModel, alignedModel, task, judge], doc: doc) { args, context in
                let (o, a, vectorTask) = (try originalModel(args), try alignedModel(args), try task(args))
                let referee = try judge(args) ?? .oracle
                return comparisonRecord(
                    try context.lab {
                        try compare(o, a, task: vectorTask, judge: referee, rng: &lab.rng)
                    })
            },
            Builtin(name, [originalSampling, alignedSampling, task, judge], doc: doc) { args, context in
                let (o, a, vectorTask) = (try originalSampling(args), try alignedSampling(args), try task(args))
                let referee = try judge(args) ?? .oracle
                return comparisonRecord(
                    try context.lab {
                        try compare(o, a, task: vectorTask, judge: referee, rng: &lab.rng)
                    })
            },
        ]
    }

    static func comparisonRecord(_ c: Comparison) -> Value {
        func side(_ s: Summary, _ ci: ClosedRange<Double>) -> Value {
            guard case let .record(r) = summary(s) else { return .nil }
            let interval: [(String, Value)] = [("ci_low", .double(ci.lowerBound)), ("ci_high", .double(ci.upperBound))]
            return .record(Record(r.fields.map { ($0.key, $0.value) } + interval))
        }
        return .record(
            Record([
                ("original", side(c.original, c.originalCI)), ("aligned", side(c.aligned, c.alignedCI)),
                ("win_rate", .double(c.winRate)), ("judge", .string(c.judge)),
            ]))
    }

    static func expectedGold() -> Builtin {
        let policy = Param.positional("policy", .samplingPolicy), task = Param.positional("task", .candidateTask)
        return Builtin(
            "expected_gold", [policy, task],
            doc: "E_π of the hidden gold reward over the task's held-out prompts (exact, no sampling)."
        ) { args, context in
            let (model, candidates) = (try policy(args), try task(args).candidateTask)
            return .double(try context.lab { try candidates.expectedGold(model) })
        }
    }

    static func expectedKL() -> Builtin {
        let policy = Param.positional("policy", .samplingPolicy)
        let reference = Param.positional("reference", .samplingPolicy)
        let task = Param.positional("task", .candidateTask)
        return Builtin(
            "expected_kl", [policy, reference, task],
            doc:
                "KL(π ‖ reference) averaged over the task's held-out prompts (exact, no sampling): one measure of drift for PPO, RLOO and DPO alike."
        ) { args, context in
            let (model, anchor, candidates) = (try policy(args), try reference(args), try task(args).candidateTask)
            return .double(try context.lab { try candidates.expectedKL(model, reference: anchor) })
        }
    }

    static func overoptimizationBuiltin(_ lab: LabState) -> Builtin {
        let policy = Param.positional("policy", .policyModel), rm = Param.positional("rm", .rewardModel)
        let task = Param.positional("task", .vectorTask)
        let steps = Param.labelled("steps", .int, default: 600, in: LabBuiltins.steps)
        let every = Param.labelled("every", .int, default: 50, in: LabBuiltins.steps)
        let lr = Param.labelled("lr", .number, default: 1e-3, in: learningRate)
        let batch = Param.labelled("batch", .int, default: 16, in: rows)
        return Builtin(
            "overoptimization", [policy, rm, task, steps, every, lr, batch],
            doc:
                "Gao et al. 2022: maximises the RM with no penalty from a copy of `policy`, measuring proxy and gold reward against √KL every `every` steps; logs overopt.sqrt_kl, .proxy, .gold."
        ) { args, context in
            let (model, rewardModel, vectorTask) = (try policy(args), try rm(args), try task(args))
            let points = try context.lab {
                try overoptimization(
                    model, rewardModel: rewardModel, task: vectorTask, steps: steps(args),
                    every: every(args), lr: lr(args), batch: batch(args), rng: &lab.rng,
                    control: lab.control)
            }
            lab.record(
                points.enumerated().flatMap { i, p in
                    [
                        Metric("sqrt_kl", step: i, p.sqrtKL), Metric("proxy", step: i, p.proxy),
                        Metric("gold", step: i, p.gold),
                    ]
                }, prefix: "overopt")
            return .list(
                points.map { p in
                    .record(
                        Record([
                            ("steps", .int(p.steps)), ("sqrt_kl", .double(p.sqrtKL)), ("proxy", .double(p.proxy)),
                            ("gold", .double(p.gold)),
                        ]))
                })
        }
    }

    static func scorecards() -> [Builtin] {
        let policy = Param.positional("policy", .samplingPolicy)
        let moderation = Param.positional("task", .moderationTask), support = Param.positional("task", .supportTask)
        return [
            Builtin(
                "category_accuracy", [policy, moderation],
                doc:
                    "Per category, the fraction of held-out items on which the policy's most likely action is the gold policy's."
            ) { args, context in
                let (model, task) = (try policy(args), try moderation(args))
                let acc = try context.lab { try task.categoryAccuracy(model) }
                return .list(
                    zip(ModerationTask.categories, acc).map {
                        .record(Record([("category", .string($0)), ("accuracy", .double($1))]))
                    })
            },
            Builtin(
                "support_scorecard", [policy, support],
                doc:
                    "Slide 10's measures on held-out conversations, exact under the policy's reply probabilities: satisfaction (1–5), resolution_rate, appropriateness, turns."
            ) { args, context in
                let (model, task) = (try policy(args), try support(args))
                return scorecardRecord(try context.lab { try task.scorecard(model) })
            },
            Builtin(
                "best_support_scorecard", [support],
                doc: "The ceiling: support_scorecard's measures if every held-out conversation got its gold-best reply."
            ) { args, _ in
                scorecardRecord(try support(args).optimalScorecard())
            },
        ]
    }

    static func scorecardRecord(_ card: SupportTask.Scorecard) -> Value {
        .record(
            Record([
                ("satisfaction", .double(card.satisfaction)), ("resolution_rate", .double(card.resolutionRate)),
                ("appropriateness", .double(card.appropriateness)), ("turns", .double(card.turns)),
            ]))
    }
}
