import Alignment
import Engine
import Language
import Models

/// Reward models and ensembles: building them, fitting them to preferences (Slide 3), and measuring how well they
/// rank pairs.
extension LabBuiltins {
    static func rewardModelBuiltins(_ lab: LabState) -> [Builtin] {
        let input = Param.labelled("input", .int, in: dimension), hidden = Param.labelled("hidden", .int, in: dimension)
        let members = Param.labelled("members", .int, default: 5, in: .integer(2...64))
        return [
            Builtin(
                "RewardModel", [input, hidden],
                doc: "Slide 3's reward model: Linear → ReLU → Linear to one score."
            ) { args, _ in
                let (i, h) = (try input(args), try hidden(args))
                try checkValues(i + 2, h, args, hidden.name)
                return .native(ModelValue(model: .reward(RewardModel(input: i, hidden: h, rng: &lab.rng))))
            },
            Builtin(
                "RewardEnsemble", [input, hidden, members],
                doc:
                    "k reward models; fit trains each on a bootstrap resample, collect(select: \"uncertainty\") queries where they disagree."
            ) { args, context in
                let (i, h, k) = (try input(args), try hidden(args), try members(args))
                try checkValues((i + 2) * max(k, 1), h, args, hidden.name)
                return .native(
                    EnsembleValue(
                        ensemble: try context.lab {
                            try RewardEnsemble(members: k, input: i, hidden: h, rng: &lab.rng)
                        }))
            },
            .overloaded([fitRewardModel(lab), fitEnsemble(lab), fitTextRewardModel(lab)]),
            .overloaded([accuracyBuiltin(), textAccuracyBuiltin()]), assessBuiltin(),
            .overloaded(goldAgreementBuiltins()),
        ]
    }

    /// The parameters both `fit` overloads take after the model, declared once so the two signatures cannot drift.
    private struct FitParameters {
        let prefs = Param.positional("prefs", .preferences)
        let epochs = Param.labelled("epochs", .int, default: 10, in: LabBuiltins.epochs)
        let lr = Param.labelled("lr", .number, default: 1e-3, in: LabBuiltins.learningRate)
        let batch = Param.labelled("batch", .int, default: 32, in: LabBuiltins.rows)
        let heldOut = Param.labelled("held_out", .number, default: 0.0, in: LabBuiltins.fraction)
        let task = Param.optional("task", .vectorTask)
        let series = Param<String?>.seriesName
    }

    /// What `fit` returns: the first and last loss, then the last value of each of `finals` (NaN if never logged).
    static func fitSummary(_ metrics: [Metric], finals: [String]) -> Value {
        let loss = metrics.filter { $0.name == "loss" }.map(\.value)
        let last = finals.map { name in (name, Value.double(metrics.last { $0.name == name }?.value ?? .nan)) }
        return .record(
            Record([("loss_start", .double(loss.first ?? .nan)), ("loss", .double(loss.last ?? .nan))] + last))
    }

    static func fitRewardModel(_ lab: LabState) -> Builtin {
        let rm = Param.inPlace("rm", .rewardModel), shared = FitParameters()
        let (prefs, epochs, lr, batch, heldOut, task, series) =
            (shared.prefs, shared.epochs, shared.lr, shared.batch, shared.heldOut, shared.task, shared.series)
        return Builtin(
            "fit", [rm, prefs, epochs, lr, batch, heldOut, task, series],
            doc:
                "Trains the reward model with the Bradley–Terry loss −log σ(r⁺ − r⁻) and Adam; logs NAME.loss and NAME.accuracy per epoch (NAME: `name:`, else the model's variable). held_out: a fraction kept out of training, on which accuracy is measured; task: also logs gold_agreement and calibration_error."
        ) { args, context in
            var model = try rm(args)
            let (data, vectorTask) = (try prefs(args), try task(args))
            let metrics = try context.lab {
                try fit(
                    &model, on: data, epochs: epochs(args), lr: lr(args), batch: batch(args),
                    heldOut: heldOut(args), task: vectorTask, rng: &lab.rng, control: lab.control)
            }
            rm.writeBack(ModelValue(model: .reward(model)), in: args, lab: lab)
            lab.record(metrics, prefix: try series.seriesPrefix(args, default: rm.variable(args)))
            return fitSummary(metrics, finals: ["accuracy", "gold_agreement", "calibration_error"])
        }
    }

    /// `fit(ens, prefs, …)`: each member on its own bootstrap resample; logs NAME.loss, NAME.accuracy.
    static func fitEnsemble(_ lab: LabState) -> Builtin {
        let rm = Param.inPlace("rm", .rewardEnsemble), shared = FitParameters()
        // held_out and task are accepted and ignored, as before, so notebooks that pass them keep running (and
        // replaying to the same bits: a warning would change their output); an ensemble has no held-out split or gold
        // metrics yet.
        let (prefs, epochs, lr, batch, heldOut, task, series) =
            (shared.prefs, shared.epochs, shared.lr, shared.batch, shared.heldOut, shared.task, shared.series)
        return Builtin(
            "fit", [rm, prefs, epochs, lr, batch, heldOut, task, series],
            doc:
                "Trains each member of the ensemble on its own bootstrap resample of the preferences (Bradley–Terry loss, Adam); logs NAME.loss and NAME.accuracy per epoch. held_out and task are ignored for an ensemble."
        ) { args, context in
            var ensemble = try rm(args)
            let data = try prefs(args)
            guard data.dim == ensemble.input else {
                throw prefs.error(
                    args, "holds responses of \(data.dim) values but the ensemble reads \(ensemble.input)")
            }
            let metrics = try context.lab {
                try ensemble.fit(
                    on: data, epochs: epochs(args), lr: lr(args), batch: batch(args), rng: &lab.rng,
                    control: lab.control)
            }
            rm.writeBack(EnsembleValue(ensemble: ensemble), in: args, lab: lab)
            lab.record(metrics, prefix: try series.seriesPrefix(args, default: rm.variable(args)))
            return fitSummary(metrics, finals: ["accuracy"])
        }
    }

    static func accuracyBuiltin() -> Builtin {
        let rm = Param.positional("rm", .rewardModel), prefs = Param.positional("prefs", .preferences)
        return Builtin(
            "accuracy", [rm, prefs],
            doc: "Fraction of pairs the reward model ranks the way the annotator did."
        ) { args, _ in
            .double(accuracy(try rm(args), on: try prefs(args)))
        }
    }

    static func assessBuiltin() -> Builtin {
        let rm = Param.positional("rm", .rewardModel), prefs = Param.positional("prefs", .preferences)
        let task = Param.positional("task", .vectorTask)
        return Builtin(
            "assess", [rm, prefs, task],
            doc:
                "Reward-model quality on pairs: accuracy (vs the annotator), gold_agreement (vs the hidden gold) and calibration_error."
        ) { args, context in
            let (model, data, vectorTask) = (try rm(args), try prefs(args), try task(args))
            let q = try context.lab { try assess(model, on: data, task: vectorTask) }
            return .record(
                Record([
                    ("accuracy", .double(q.accuracy)), ("gold_agreement", .double(q.goldAgreement)),
                    ("calibration_error", .double(q.calibrationError)),
                ]))
        }
    }

    static func goldAgreementBuiltins() -> [Builtin] {
        let prefs = Param.positional("prefs", .preferences), task = Param.positional("task", .vectorTask)
        let model = Param.positional("rm", .rewardModel), ensemble = Param.positional("rm", .rewardEnsemble)
        return [
            Builtin(
                "gold_agreement", [model, prefs, task],
                doc: "Fraction of pairs the model ranks the way the hidden gold reward does."
            ) { args, context in
                let (rm, data, vectorTask) = (try model(args), try prefs(args), try task(args))
                return .double(try context.lab { try assess(rm, on: data, task: vectorTask).goldAgreement })
            },
            Builtin(
                "gold_agreement", [ensemble, prefs, task],
                doc: "Fraction of pairs the ensemble's mean score ranks the way the hidden gold reward does."
            ) { args, context in
                let (members, data, vectorTask) = (try ensemble(args), try prefs(args), try task(args))
                return .double(try context.lab { try members.goldAgreement(on: data, task: vectorTask) })
            },
        ]
    }
}
