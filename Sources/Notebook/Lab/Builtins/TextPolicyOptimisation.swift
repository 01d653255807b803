import Alignment
import Engine
import Language
import Models

/// Policy optimisation on text (issue 15): PPO with a value head, RLOO and DPO on a GPT policy over a `TextTask`, and
/// best-of-n sampling. `ppo`, `rloo` and `dpo` are overloads of the candidate-task built-ins
/// (`PolicyOptimisation.swift`), chosen by the policy's type.
extension LabBuiltins {
    /// The reward a text reward model gives whole token sequences, refused when it reads another vocabulary.
    static func textReward(
        _ rm: TextRewardModelValue, for lm: GPTValue, _ param: Param<TextRewardModelValue>, _ args: Arguments
    ) throws -> ([[Int]]) -> [Double] {
        guard rm.tokenizer == lm.tokenizer else {
            throw param.error(
                args,
                "reads another vocabulary than the policy (\(rm.tokenizer.count) characters, the policy's "
                    + "\(lm.tokenizer.count))")
        }
        let model = rm.model
        return { sequences in
            guard let time = sequences.first?.count else { return [] }
            return model.scores(tokens: sequences.flatMap { $0 }, batch: sequences.count, time: time).map(Double.init)
        }
    }

    /// The KL control `kl:`, `target_kl:` and `horizon:` describe.
    static func klControl(_ beta: Double, target: Double?, horizon: Double) -> KLControl {
        target.map { .adaptive(initial: beta, target: $0, horizon: horizon) } ?? .fixed(beta)
    }

    /// The parameters `ppo` and `rloo` on text share, and the steps around the optimiser they share.
    private struct TextRLParameters {
        let lm = Param.inPlace("lm", .gpt), rm = Param.positional("rm", .textRewardModel)
        let task = Param.positional("task", .textTask)
        let steps = Param.labelled("steps", .int, default: 20, in: LabBuiltins.steps)
        let targetKL = Param.optional("target_kl", .number, in: .number(above: 0, atMost: 1e6))
        let horizon = Param.labelled("horizon", .number, default: 10000.0, in: .number(above: 0, atMost: 1e9))
        let clip = Param.labelled("clip", .number, default: 0.2, in: .number(above: 0, atMost: 100))
        let temperature = Param.labelled("temperature", .number, default: 1.0, in: .number(above: 0, atMost: 100))
        let reference = Param.optional("reference", .gpt), named = Param<String?>.seriesName

        /// One call's policy, task, frozen reference (nil: the policy as it is), reward and KL control.
        func read(_ args: Arguments, kl: Param<Double>) throws -> (
            policy: GPTValue, task: TextTask, reference: GPT?, reward: ([[Int]]) -> [Double], kl: KLControl
        ) {
            let value = try lm(args)
            let reward = try textReward(try rm(args), for: value, rm, args)
            let control = klControl(try kl(args), target: try targetKL(args), horizon: try horizon(args))
            return (value, try task(args).task, try reference(args)?.model, reward, control)
        }

        /// Writes the trained policy back, records its series under its name and returns the first and last proxy,
        /// gold, KL, KL weight and entropy.
        func finish(_ value: GPTValue, _ metrics: [Metric], _ args: Arguments, lab: LabState) throws -> Value {
            lm.writeBack(value, in: args, lab: lab)
            lab.record(metrics, prefix: try named.seriesPrefix(args, default: lm.variable(args)))
            return lastValues(
                metrics,
                [
                    ("proxy", "proxy"), ("gold", "gold"), ("kl", "objective/kl"), ("kl_coef", "objective/kl_coef"),
                    ("entropy", "objective/entropy"),
                ])
        }
    }

    static func textPPOBuiltin(_ lab: LabState) -> Builtin {
        let shared = TextRLParameters()
        let batch = Param.labelled("batch", .int, default: 64, in: rows)
        let lr = Param.labelled("lr", .number, default: 1.41e-5, in: learningRate)
        let kl = Param.labelled("kl", .number, default: 0.2, in: weight)
        let epochs = Param.labelled("epochs", .int, default: 4, in: .integer(1...1000))
        let minibatch = Param.labelled("minibatch", .int, default: 16, in: rows)
        return Builtin(
            "ppo",
            [
                shared.lm, shared.rm, shared.task, shared.steps, batch, lr, kl, shared.targetKL, shared.horizon, epochs,
                minibatch, shared.clip, shared.temperature, shared.reference, shared.named,
            ],
            doc:
                "PPO on text as TRL's PPOTrainer runs it: per step one continuation per training prompt, per-token reward −kl·(log π − log π_ref) plus the RM score at the last token, GAE (γ 1, λ 0.95) from a value head kept with the GPT, whitened advantages, clipped policy and value losses, `epochs` passes of `minibatch`-sequence Adam steps; `target_kl:` makes kl adaptive. Logs NAME.objective/kl, .objective/kl_coef, .objective/entropy, .ppo/loss/policy, .ppo/loss/value, .ppo/policy/clipfrac, .ppo/policy/approxkl, .ppo/returns/mean, .proxy, .gold per step."
        ) { args, context in
            var call = try shared.read(args, kl: kl)
            var settings = PPOSettings(
                steps: try shared.steps(args), batch: try batch(args), minibatch: try minibatch(args),
                epochs: try epochs(args), lr: try lr(args), kl: call.kl)
            settings.clip = try shared.clip(args)
            settings.temperature = Float(try shared.temperature(args))
            let metrics = try context.lab {
                try ppo(
                    &call.policy.model, valueHead: &call.policy.valueHead, reward: call.reward, task: call.task,
                    settings: settings, reference: call.reference, rng: &lab.rng, control: lab.control)
            }
            return try shared.finish(call.policy, metrics, args, lab: lab)
        }
    }

    static func textRLOOBuiltin(_ lab: LabState) -> Builtin {
        let shared = TextRLParameters()
        let batch = Param.labelled("batch", .int, default: 16, in: rows)
        let samples = Param.labelled("samples", .int, default: 4, in: .integer(2...maxRows))
        let lr = Param.labelled("lr", .number, default: 1e-5, in: learningRate)
        let kl = Param.labelled("kl", .number, default: 0.05, in: weight)
        let epochs = Param.labelled("epochs", .int, default: 1, in: .integer(1...1000))
        return Builtin(
            "rloo",
            [
                shared.lm, shared.rm, shared.task, shared.steps, batch, samples, lr, kl, shared.targetKL,
                shared.horizon, epochs, shared.clip, shared.temperature, shared.reference, shared.named,
            ],
            doc:
                "RLOO on text as TRL's RLOOTrainer: `samples` continuations per prompt, sequence reward = RM score − kl·Σ(log π − log π_ref), advantage = reward − mean of the prompt's other samples, `epochs` steps on the clipped sequence ratio. Logs NAME.objective/kl, .objective/kl_coef, .objective/entropy, .loss/policy, .proxy, .gold per step."
        ) { args, context in
            var call = try shared.read(args, kl: kl)
            let metrics = try context.lab {
                try rloo(
                    &call.policy.model, reward: call.reward, task: call.task, steps: shared.steps(args),
                    batch: batch(args), samples: samples(args), epochs: epochs(args), lr: lr(args), kl: call.kl,
                    clip: shared.clip(args), temperature: Float(shared.temperature(args)), reference: call.reference,
                    rng: &lab.rng, trainingControl: lab.control)
            }
            return try shared.finish(call.policy, metrics, args, lab: lab)
        }
    }

    static func textDPOBuiltin(_ lab: LabState) -> Builtin {
        let lm = Param.inPlace("lm", .gpt), prefs = Param.positional("prefs", .preferences)
        let task = Param.positional("task", .textTask)
        let beta = Param.labelled("beta", .number, default: 0.1, in: .number(above: 0, atMost: 1e6))
        let epochs = Param.labelled("epochs", .int, default: 3, in: LabBuiltins.epochs)
        let lr = Param.labelled("lr", .number, default: 1e-5, in: learningRate)
        let batch = Param.labelled("batch", .int, default: 16, in: rows)
        let reference = Param.optional("reference", .gpt), named = Param<String?>.seriesName
        return Builtin(
            "dpo", [lm, prefs, task, beta, epochs, lr, batch, reference, named],
            doc:
                "DPO on text preference pairs: sequence log-probabilities of each continuation under the GPT and a frozen reference (default: the GPT as it was), loss −log σ(β·margin); logs NAME.loss, .rewards/chosen, .rewards/rejected, .rewards/margins, .rewards/accuracies and on held-out prompts .gold and .kl per epoch."
        ) { args, context in
            var value = try lm(args)
            let (data, textTask, referenceModel) = (try prefs(args), try task(args).task, try reference(args)?.model)
            let metrics = try context.lab {
                try dpo(
                    &value.model, on: data, task: textTask, beta: beta(args), epochs: epochs(args), lr: lr(args),
                    batch: batch(args), reference: referenceModel, rng: &lab.rng, control: lab.control)
            }
            lm.writeBack(value, in: args, lab: lab)
            lab.record(metrics, prefix: try named.seriesPrefix(args, default: lm.variable(args)))
            return lastValues(
                metrics,
                [
                    ("loss", "loss"), ("margin", "rewards/margins"), ("accuracy", "rewards/accuracies"),
                    ("gold", "gold"), ("kl", "kl"),
                ])
        }
    }

    /// `evaluate(lm, task, reference:)`: a text policy on the task's held-out prompts.
    static func textEvaluateBuiltin(_ lab: LabState) -> Builtin {
        let lm = Param.positional("lm", .gpt), task = Param.positional("task", .textTask)
        let reference = Param.labelled("reference", .gpt)
        return Builtin(
            "evaluate", [lm, task, reference],
            doc:
                "A text policy on the task's held-out prompts: one continuation each (temperature 1, from the run's generator); `gold` summarises their hidden gold (VADER, signed by the objective), `kl` is the mean over prompts of Σ_t log π − log π_ref (the sampled sequence KL to reference), `texts` the continuations in prompt order."
        ) { args, context in
            let (policy, textTask, ref) = (try lm(args), try task(args).task, try reference(args))
            guard ref.tokenizer == policy.tokenizer else {
                throw reference.error(args, "reads another vocabulary than the policy")
            }
            let e = try context.lab {
                try TextEvaluation(policy.model, reference: ref.model, task: textTask, rng: &lab.rng)
            }
            return .record(
                Record([
                    ("gold", summary(Summary(e.golds))), ("kl", .double(e.kl)),
                    ("texts", .list(e.continuations.map { .string(textTask.tokenizer.decode($0)) })),
                ]))
        }
    }

    static func bestOfNBuiltin(_ lab: LabState) -> Builtin {
        let lm = Param.positional("lm", .gpt), rm = Param.positional("rm", .textRewardModel)
        let task = Param.positional("task", .textTask)
        let n = Param.labelled("n", .int, in: .integer(1...4096))
        return Builtin(
            "best_of_n", [lm, rm, task, n],
            doc:
                "Best-of-n on the task's held-out prompts: n continuations each, the RM's favourite kept; a record of its mean gold and proxy, the mean gold of all samples (sample_gold) and the analytic KL log n − (n−1)/n."
        ) { args, context in
            let value = try lm(args)
            let (textTask, count) = (try task(args).task, try n(args))
            let reward = try textReward(try rm(args), for: value, rm, args)
            let result = try context.lab {
                try BestOfN(value.model, reward: reward, task: textTask, n: count, rng: &lab.rng, control: lab.control)
            }
            return .record(
                Record([
                    ("n", .int(result.n)), ("gold", .double(result.gold)), ("proxy", .double(result.proxy)),
                    ("sample_gold", .double(result.sampleGold)), ("kl", .double(result.kl)),
                ]))
        }
    }
}
