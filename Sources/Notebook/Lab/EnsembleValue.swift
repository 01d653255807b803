import Alignment
import Engine
import Models
import Store

/// A reward-model ensemble bound to a name; stored as one checkpoint holding every member.
struct EnsembleValue: CheckpointedValue {
    var ensemble: RewardEnsemble

    var typeName: String { "RewardEnsemble" }
    var memberNames: [String] { ["members", "input", "hidden", "parameters"] }

    func member(_ name: String) -> Value? {
        switch name {
        case "members": .int(ensemble.members.count)
        case "input": .int(ensemble.input)
        case "hidden": .int(ensemble.hidden)
        case "parameters": .int(ensemble.members.reduce(0) { $0 + $1.network.parameterCount })
        default: nil
        }
    }

    var displayText: String {
        "RewardEnsemble(\(ensemble.members.count) × \(ensemble.input) → \(ensemble.hidden) → 1)"
    }

    var checkpoint: Checkpoint { ModelValue.checkpoint(ensemble.stateDict) }
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
