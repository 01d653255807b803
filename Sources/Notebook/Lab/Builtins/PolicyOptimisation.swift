import Alignment
import Engine
import Language
import Models

/// Policies and how they are optimised: the seed's policy model fine-tuned against a reward model (Slide 6), and
/// sampling policies over a candidate task trained by RLOO, PPO or DPO.
extension LabBuiltins {
    static func policyOptimisationBuiltins(_ lab: LabState) -> [Builtin] {
        [
            policyModel(lab), samplingPolicy(lab), finetuneBuiltin(lab),
            .overloaded([policyGradientBuiltin(lab, .rloo), textRLOOBuiltin(lab)]),
            .overloaded([policyGradientBuiltin(lab, .ppo), textPPOBuiltin(lab)]),
            .overloaded([dpoBuiltin(lab), textDPOBuiltin(lab)]), bestOfNBuiltin(lab),
        ]
    }

    static func policyModel(_ lab: LabState) -> Builtin {
        let input = Param.labelled("input", .int, in: dimension), hidden = Param.labelled("hidden", .int, in: dimension)
        let output = Param.labelled("output", .int, in: dimension)
        return Builtin(
            "PolicyModel", [input, hidden, output],
            doc: "Slide 2's policy: Linear → ReLU → Linear, initialised from the run's generator."
        ) { args, _ in
            let (i, h, o) = (try input(args), try hidden(args), try output(args))
            try checkValues(i + o + 1, h, args, hidden.name)
            return .native(ModelValue(model: .policy(PolicyModel(input: i, hidden: h, output: o, rng: &lab.rng))))
        }
    }

    static func samplingPolicy(_ lab: LabState) -> Builtin {
        let task = Param.positional("task", .candidateTask)
        let hidden = Param.labelled("hidden", .int, default: 32, in: dimension)
        return Builtin(
            "SamplingPolicy", [task, hidden],
            doc:
                "A categorical policy over the task's candidates (moderation actions, support replies): softmax of an MLP's logits given the prompt."
        ) { args, _ in
            let candidates = try task(args).candidateTask
            let size = try hidden(args)
            try checkValues(candidates.promptDim + candidates.candidateCount + 1, size, args, hidden.name)
            return .native(
                SamplingPolicyValue(
                    policy: SamplingPolicy(
                        input: candidates.promptDim, hidden: size, candidates: candidates.candidateCount, rng: &lab.rng)
                ))
        }
    }

    static func finetuneBuiltin(_ lab: LabState) -> Builtin {
        let policy = Param.inPlace("policy", .policyModel), rm = Param.positional("rm", .rewardModel)
        let task = Param.positional("task", .vectorTask)
        let steps = Param.labelled("steps", .int, default: 500, in: LabBuiltins.steps)
        let lr = Param.labelled("lr", .number, default: 1e-3, in: learningRate)
        let kl = Param.labelled("kl", .number, default: 0.0, in: weight)
        let batch = Param.labelled("batch", .int, default: 16, in: rows)
        let reference = Param.optional("reference", .policyModel), named = Param<String?>.seriesName
        return Builtin(
            "finetune", [policy, rm, task, steps, lr, kl, batch, reference, named],
            doc:
                "Slide 6: maximises the RM score of the policy's responses minus kl × KL to `reference` (default: the policy as it was); logs NAME.rm_score, .gold, .kl, .loss per step (NAME: `name:`, else the policy's variable)."
        ) { args, context in
            var model = try policy(args)
            let (rewardModel, vectorTask, referenceModel) = (try rm(args), try task(args), try reference(args))
            let metrics = try context.lab {
                try finetune(
                    &model, rewardModel: rewardModel, task: vectorTask, steps: steps(args), lr: lr(args),
                    kl: kl(args), batch: batch(args), reference: referenceModel, rng: &lab.rng,
                    control: lab.control)
            }
            policy.writeBack(ModelValue(model: .policy(model)), in: args, lab: lab)
            lab.record(metrics, prefix: try named.seriesPrefix(args, default: policy.variable(args)))
            func series(_ name: String) -> [Double] { metrics.filter { $0.name == name }.map(\.value) }
            let (score, gold, klSeries) = (series("rm_score"), series("gold"), series("kl"))
            return .record(
                Record([
                    ("rm_score_start", .double(score.first ?? .nan)), ("rm_score", .double(score.last ?? .nan)),
                    ("gold_start", .double(gold.first ?? .nan)), ("gold", .double(gold.last ?? .nan)),
                    ("kl", .double(klSeries.last ?? .nan)),
                ]))
        }
    }

    /// `rloo(...)` and `ppo(...)`: the same call, different update.
    static func policyGradientBuiltin(_ lab: LabState, _ method: PolicyGradientMethod) -> Builtin {
        let policy = Param.inPlace("policy", .samplingPolicy), rm = Param.positional("rm", .rewardModel)
        let task = Param.positional("task", .candidateTask)
        let steps = Param.labelled("steps", .int, default: 100, in: LabBuiltins.steps)
        let lr = Param.labelled("lr", .number, default: 1e-2, in: learningRate)
        let kl = Param.labelled("kl", .number, default: 0.1, in: weight)
        let targetKL = Param.optional("target_kl", .number, in: .number(above: 0, atMost: 1e6))
        let horizon = Param.labelled("horizon", .number, default: 1000.0, in: .number(above: 0, atMost: 1e9))
        let batch = Param.labelled("batch", .int, default: 16, in: rows)
        let samples = Param.labelled("samples", .int, default: 4, in: .integer(2...maxRows))
        let reference = Param.optional("reference", .samplingPolicy)
        let epochs = Param.labelled("epochs", .int, default: 4, in: .integer(1...1000))
        let clip = Param.labelled("clip", .number, default: 0.2, in: .number(above: 0, atMost: 100))
        var parameters: [any ParameterDeclaration] = [
            policy, rm, task, steps, lr, kl, targetKL, horizon, batch, samples, reference,
        ]
        if method == .ppo { parameters += [epochs, clip] }
        let named = Param<String?>.seriesName
        parameters.append(named)
        let what =
            method == .ppo
            ? "PPO (clipped ratio, several epochs per batch)" : "REINFORCE with the leave-one-out baseline"
        return Builtin(
            method.rawValue, parameters,
            doc:
                "\(what) on RM score − kl·KL to `reference` (default: the policy as it was); `target_kl:` makes kl adaptive (Ziegler et al. 2019). Logs NAME.proxy, .gold, .kl, .entropy, .beta per step (NAME: `name:`, else the policy's variable)."
        ) { args, context in
            var model = try policy(args)
            let (rewardModel, candidates) = (try rm(args), try task(args).candidateTask)
            let referencePolicy = try reference(args)
            let beta = try kl(args)
            let control: KLControl =
                try targetKL(args).map {
                    .adaptive(initial: beta, target: $0, horizon: try horizon(args))
                } ?? .fixed(beta)
            let metrics = try context.lab {
                try optimize(
                    &model, rewardModel: rewardModel, task: candidates, method: method, steps: steps(args),
                    lr: lr(args), kl: control, batch: batch(args), samples: samples(args),
                    epochs: method == .ppo ? epochs(args) : 1, clip: method == .ppo ? clip(args) : 0.2,
                    reference: referencePolicy, rng: &lab.rng, trainingControl: lab.control)
            }
            policy.writeBack(SamplingPolicyValue(policy: model), in: args, lab: lab)
            lab.record(metrics, prefix: try named.seriesPrefix(args, default: policy.variable(args)))
            return lastValues(metrics)
        }
    }

    static func dpoBuiltin(_ lab: LabState) -> Builtin {
        let policy = Param.inPlace("policy", .samplingPolicy), prefs = Param.positional("prefs", .preferences)
        let task = Param.positional("task", .candidateTask)
        let beta = Param.labelled("beta", .number, default: 0.1, in: .number(above: 0, atMost: 1e6))
        let epochs = Param.labelled("epochs", .int, default: 10, in: LabBuiltins.epochs)
        let lr = Param.labelled("lr", .number, default: 1e-2, in: learningRate)
        let batch = Param.labelled("batch", .int, default: 32, in: rows)
        let reference = Param.optional("reference", .samplingPolicy), named = Param<String?>.seriesName
        return Builtin(
            "dpo", [policy, prefs, task, beta, epochs, lr, batch, reference, named],
            doc:
                "DPO on preferences over the task's candidates; logs NAME.loss, .accuracy, .gold, .kl, .entropy, .beta per epoch (NAME: `name:`, else the policy's variable)."
        ) { args, context in
            var model = try policy(args)
            let (data, candidates) = (try prefs(args), try task(args).candidateTask)
            let referencePolicy = try reference(args)
            let metrics = try context.lab {
                try dpo(
                    &model, on: data, task: candidates, beta: beta(args), epochs: epochs(args), lr: lr(args),
                    batch: batch(args), reference: referencePolicy, rng: &lab.rng, control: lab.control)
            }
            policy.writeBack(SamplingPolicyValue(policy: model), in: args, lab: lab)
            lab.record(metrics, prefix: try named.seriesPrefix(args, default: policy.variable(args)))
            return lastValues(metrics)
        }
    }
}
