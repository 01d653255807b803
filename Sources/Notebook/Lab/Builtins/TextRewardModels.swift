import Alignment
import Engine
import Language
import Models

/// Text reward models (issue 15): a pretrained GPT's trunk with a scalar head on the last token, trained on text
/// preferences as Ziegler et al. (2019) and Stiennon et al. (2020) train theirs, and the measures that read one.
/// `fit` and `accuracy` on a text reward model are overloads declared beside the vector ones (`RewardModels.swift`).
extension LabBuiltins {
    static func textRewardModelBuiltins(_ lab: LabState) -> [Builtin] {
        [textRewardModelBuiltin(lab), scoreTextBuiltin()]
    }

    static func textRewardModelBuiltin(_ lab: LabState) -> Builtin {
        let lm = Param.positional("lm", .gpt)
        let readout = Param.labelled("readout", .string, default: "last")
        return Builtin(
            "TextRewardModel", [lm, readout],
            doc:
                "A reward model over text started from the language model: its GPT trunk (copied) and a scalar head, N(0, 0.02) from the run's generator, on the last token's final hidden state (readout: \"last\", GPT2ForSequenceClassification's layout) or averaged over every token's (readout: \"mean\")."
        ) { args, _ in
            let value = try lm(args)
            let name = try readout(args)
            guard let kind = TextRewardModel.Readout(rawValue: name) else {
                throw readout.error(args, "must be \"last\" or \"mean\", got \"\(name)\"")
            }
            let model = TextRewardModel(trunk: value.model, readout: kind, rng: &lab.rng)
            return .native(TextRewardModelValue(model: model, tokenizer: value.tokenizer))
        }
    }

    /// `fit(rm, prefs, …)` on a text reward model: Bradley–Terry on prompt + continuation sequences.
    static func fitTextRewardModel(_ lab: LabState) -> Builtin {
        let rm = Param.inPlace("rm", .textRewardModel), prefs = Param.positional("prefs", .preferences)
        let epochs = Param.labelled("epochs", .int, default: 4, in: LabBuiltins.epochs)
        let lr = Param.labelled("lr", .number, default: 1e-4, in: LabBuiltins.learningRate)
        let batch = Param.labelled("batch", .int, default: 16, in: LabBuiltins.rows)
        let heldOut = Param.labelled("held_out", .number, default: 0.0, in: LabBuiltins.fraction)
        let freeze = Param.labelled("freeze_trunk", .bool, default: false)
        let task = Param.optional("task", .textTask)
        let series = Param<String?>.seriesName
        return Builtin(
            "fit", [rm, prefs, epochs, lr, batch, heldOut, freeze, task, series],
            doc:
                "Trains the text reward model on text preferences (each side the prompt then its continuation, all of one length) with the Bradley–Terry loss and Adam, gradients clipped to norm 1 (freeze_trunk: only the head learns, a probe of the pretrained features); logs NAME.loss and NAME.accuracy per epoch (held_out: accuracy on that fraction, kept out of training, and NAME.train_accuracy); task: also logs gold_agreement (pairs ranked as the task's gold ranks the continuations, gold ties counting ½) and calibration_error."
        ) { args, context in
            var value = try rm(args)
            let (data, textTask) = (try prefs(args), try task(args)?.task)
            let c = value.model.config
            let pairs = min(try batch(args), max(data.count, 1))
            try checkValues(2 * pairs * c.context, (c.vocab + 16 * c.dim) * c.layers, args, batch.name)
            let metrics = try context.lab {
                try fit(
                    &value.model, optimizer: &value.optimizer, tokenizer: value.tokenizer, on: data,
                    epochs: epochs(args), lr: lr(args), batch: batch(args), heldOut: heldOut(args),
                    freezeTrunk: freeze(args), task: textTask, rng: &lab.rng, control: lab.control)
            }
            rm.writeBack(value, in: args, lab: lab)
            lab.record(metrics, prefix: try series.seriesPrefix(args, default: rm.variable(args)))
            return fitSummary(metrics, finals: ["accuracy", "gold_agreement", "calibration_error"])
        }
    }

    static func textAccuracyBuiltin() -> Builtin {
        let rm = Param.positional("rm", .textRewardModel), prefs = Param.positional("prefs", .preferences)
        return Builtin(
            "accuracy", [rm, prefs],
            doc: "Fraction of text pairs whose chosen prompt + continuation the reward model scores higher."
        ) { args, context in
            let (value, data) = (try rm(args), try prefs(args))
            return .double(try context.lab { try accuracy(value.model, tokenizer: value.tokenizer, on: data) })
        }
    }

    static func textGoldAgreementBuiltin() -> Builtin {
        let rm = Param.positional("rm", .textRewardModel), prefs = Param.positional("prefs", .preferences)
        let task = Param.positional("task", .textTask)
        return Builtin(
            "gold_agreement", [rm, prefs, task],
            doc:
                "Fraction of text pairs the reward model ranks the way the task's hidden gold (VADER) ranks the two continuations; a pair the gold, or the model, scores equal counts ½."
        ) { args, context in
            let (value, data, textTask) = (try rm(args), try prefs(args), try task(args))
            return .double(
                try context.lab {
                    try assess(value.model, tokenizer: value.tokenizer, on: data, task: textTask.task).goldAgreement
                })
        }
    }

    static func scoreTextBuiltin() -> Builtin {
        let rm = Param.positional("rm", .textRewardModel), text = Param.positional("text", .string)
        return Builtin(
            "score", [rm, text],
            doc:
                "The text reward model's score of one text (a prompt and its continuation, as one string): its head on the last character."
        ) { args, _ in
            let value = try rm(args)
            let ids: [Int]
            do {
                ids = try value.tokenizer.encode(try text(args))
            } catch {
                throw text.error(args, "cannot be read by the reward model: \(error)")
            }
            guard !ids.isEmpty else { throw text.error(args, "is empty: the head reads the last character") }
            let context = value.model.config.context
            guard ids.count <= context else {
                throw text.error(args, "has \(ids.count) characters; the reward model reads at most \(context)")
            }
            return .double(Double(value.model.scores(tokens: ids, batch: 1, time: ids.count)[0]))
        }
    }
}
