import Alignment
import Engine
import Language
import Models

/// Annotators and the feedback they give: the seed's Bradley–Terry annotator and coin, the oracle, a biased
/// annotator, panels, `collect` (random or uncertainty-driven), `split`, and how truthful labels are.
extension LabBuiltins {
    static func feedbackBuiltins(_ lab: LabState) -> [Builtin] {
        annotatorBuiltins() + [
            .overloaded([collectBuiltin(lab), textCollectBuiltin(lab)]), splitBuiltin(lab),
            .overloaded([labelAgreementBuiltin(), textLabelAgreementBuiltin()]),
        ]
    }

    static func annotatorBuiltins() -> [Builtin] {
        let noise = Param.labelled("noise", .number, default: 0.0, in: .number(from: 0, to: 1))
        let temperature = Param.labelled("temperature", .number, default: 1.0, in: .number(above: 0, atMost: 1e6))
        let toward = Param.labelled("toward", .string, default: "length")
        let weight = Param.labelled("weight", .number, in: .number(from: -1e6, to: 1e6))
        let members = Param.labelled("annotators", .annotators)
        return [
            Builtin(
                "BradleyTerry", [noise, temperature],
                doc:
                    "Annotator preferring a over b with probability noise/2 + (1 − noise)·σ((gold(a) − gold(b)) / temperature)."
            ) { args, context in
                .native(
                    AnnotatorValue(
                        annotator: try context.lab {
                            try Annotator(bradleyTerryNoise: noise(args), temperature: temperature(args))
                        }))
            },
            Builtin("Coin", [], doc: "The seed's Slide 4 annotator: a fair coin that ignores the responses.") { _, _ in
                .native(AnnotatorValue(annotator: .coin))
            },
            Builtin("Oracle", [], doc: "Annotator that always prefers the response of higher gold reward.") { _, _ in
                .native(AnnotatorValue(annotator: .oracle))
            },
            Builtin(
                "Biased", [toward, weight],
                doc:
                    "Annotator with the verbosity bias: P(a ≻ b) = σ(gold(a) − gold(b) + weight·(‖a‖ − ‖b‖)), ‖y‖ a vector response's norm or a text continuation's number of words."
            ) { args, context in
                .native(
                    AnnotatorValue(
                        annotator: try context.lab {
                            try Annotator(biasedToward: toward(args), weight: weight(args))
                        }))
            },
            Builtin(
                "Panel", [members],
                doc:
                    "Majority vote of independent annotators; each row records how many agreed (prefs.disagreement is the mean split)."
            ) { args, context in
                let annotators = try members(args)
                return .native(AnnotatorValue(annotator: try context.lab { try Annotator(panel: annotators) }))
            },
        ]
    }

    static func collectBuiltin(_ lab: LabState) -> Builtin {
        let task = Param.positional("task", .candidateTask)
        let policy = Param.optional("policy", .policyModel)
        let annotator = Param.labelled("annotator", .annotator)
        let pairs = Param.labelled("pairs", .int, in: rows)
        let into = Param.optional("into", .preferences)
        let select = Param.labelled("select", .string, default: "random")
        let ensemble = Param.optional("ensemble", .rewardEnsemble)
        let pool = Param.labelled("pool", .int, default: 10, in: .integer(1...1000))
        return Builtin(
            "collect", [task, policy, annotator, pairs, into, select, ensemble, pool],
            doc:
                "Simulated pairwise feedback on the policy's sampled responses (or the task's candidates); appends to `into`. select: \"uncertainty\" labels only the pairs, of pool × pairs drawn, the ensemble disagrees on most."
        ) { args, context in
            let request = try FeedbackRequest(
                policy: policy(args), annotator: annotator(args), pairs: pairs(args), into: into(args),
                select: select(args), ensemble: ensemble(args), ensemblePassed: ensemble.isPassed(args),
                pool: pool(args), args: args)
            return .native(DatasetValue(dataset: try task(args).collectFeedback(request, lab: lab, context: context)))
        }
    }

    static func splitBuiltin(_ lab: LabState) -> Builtin {
        let prefs = Param.positional("prefs", .preferences)
        let heldOut = Param.labelled(
            "held_out", .number, default: 0.2, in: ValidRange(lower: (0, false), upper: (1, false), integer: false))
        return Builtin("split", [prefs, heldOut], doc: "Splits preferences at random into [train, held_out].") {
            args, context in
            let data = try prefs(args)
            let (train, test) = try context.lab { try split(data, heldOut: heldOut(args), rng: &lab.rng) }
            return .list([.native(DatasetValue(dataset: train)), .native(DatasetValue(dataset: test))])
        }
    }

    static func labelAgreementBuiltin() -> Builtin {
        let prefs = Param.positional("prefs", .preferences), task = Param.positional("task", .vectorTask)
        return Builtin(
            "label_agreement", [prefs, task],
            doc:
                "Fraction of rows whose chosen response has the higher hidden gold reward (how truthful the labels are)."
        ) { args, context in
            let (data, vectorTask) = (try prefs(args), try task(args))
            return .double(try context.lab { try goldAgreement(data, task: vectorTask) })
        }
    }
}

/// The arguments of one `collect` call, as a task's `collectFeedback` reads them.
struct FeedbackRequest {
    var policy: PolicyModel?
    var annotator: Annotator
    var pairs: Int
    var into: PreferenceDataset?
    var select: String
    var ensemble: RewardEnsemble?
    /// Whether the call wrote `ensemble:` (even as nil), which asks for active selection.
    var ensemblePassed: Bool
    var pool: Int
    /// The bound call, for errors located at one of its arguments.
    var args: Arguments
}

extension TaskValue {
    /// Feedback on pairs of responses the policy samples (or of the task's candidates), at random or where an
    /// ensemble disagrees most.
    func collectFeedback(_ request: FeedbackRequest, lab: LabState, context: CallContext) throws -> PreferenceDataset {
        let args = request.args
        guard request.select == "random" && !request.ensemblePassed else {
            return try collectActively(request, lab: lab, context: context)
        }
        return try context.lab {
            try LabBuiltins.checkValues(request.pairs + (request.into?.count ?? 0), 2 * task.responseDim, args, "pairs")
            return try collect(
                task: task, policy: request.policy, annotator: request.annotator, pairs: request.pairs,
                into: request.into ?? PreferenceDataset(), rng: &lab.rng, control: lab.control)
        }
    }

    /// `collect(…, select: "uncertainty", ensemble: ens, pool: n)`.
    private func collectActively(_ request: FeedbackRequest, lab: LabState, context: CallContext) throws
        -> PreferenceDataset
    {
        let args = request.args
        guard request.select == "uncertainty" else {
            throw args.error("select", "must be \"random\" or \"uncertainty\", got \"\(request.select)\"")
        }
        guard let ensemble = request.ensemble else {
            throw args.error(
                "ensemble", "is needed with select: \"uncertainty\" (the ensemble whose disagreement picks the pairs)")
        }
        return try context.lab {
            try LabBuiltins.checkValues(
                request.pairs * request.pool + (request.into?.count ?? 0), 2 * task.responseDim, args, "pairs")
            return try collectByUncertainty(
                task: task, policy: request.policy, ensemble: ensemble, annotator: request.annotator,
                pairs: request.pairs, pool: request.pool, into: request.into ?? PreferenceDataset(), rng: &lab.rng,
                control: lab.control)
        }
    }
}

extension ModerationTaskValue {
    func collectFeedback(_ request: FeedbackRequest, lab: LabState, context: CallContext) throws -> PreferenceDataset {
        try collectOverCandidates(task, request, lab: lab, context: context)
    }
}

extension SupportTaskValue {
    func collectFeedback(_ request: FeedbackRequest, lab: LabState, context: CallContext) throws -> PreferenceDataset {
        try collectOverCandidates(task, request, lab: lab, context: context)
    }
}

extension CandidateTaskValue {
    /// Feedback when the task's responses are a fixed set of candidates per prompt and no policy samples them.
    func collectOverCandidates(
        _ task: some CandidateTask, _ request: FeedbackRequest, lab: LabState,
        context: CallContext
    ) throws -> PreferenceDataset {
        guard request.policy == nil else {
            throw request.args.error(
                "policy",
                "is not used with a \(typeName): feedback compares two of the task's candidates for one prompt")
        }
        return try context.lab {
            try LabBuiltins.checkValues(
                request.pairs + (request.into?.count ?? 0), 2 * task.responseDim, request.args, "pairs")
            return try collect(
                candidates: task, annotator: request.annotator, pairs: request.pairs,
                into: request.into ?? PreferenceDataset(), rng: &lab.rng, control: lab.control)
        }
    }
}
