import Engine
import Models

/// REINFORCE Leave-One-Out on text (Ahmadian et al. 2024) as TRL's `RLOOTrainer` runs it: `samples` continuations per
/// prompt, each sequence's reward the RM score minus β·Σ_t (log π − log π_ref), its advantage that reward minus the
/// mean reward of the other samples of its prompt, and `epochs` steps on the clipped sequence-level ratio
/// ρ = exp(Σ_t log π − Σ_t log π_old) over the whole batch (with one epoch, plain REINFORCE with the baseline).
///
/// Random draws per step: the prompt indices, then the sampled tokens (a prompt's samples are consecutive). Adam starts
/// fresh at each call. Logs per step `objective/kl`, `objective/kl_coef`, `objective/entropy`, `loss/policy`, `proxy`
/// and `gold`, with `ppo`'s meanings.
public func rloo(
    _ policy: inout GPT, reward: ([[Int]]) throws -> [Double], task: TextTask, steps: Int, batch: Int = 16,
    samples: Int = 4, epochs: Int = 1, lr: Double = 1e-5, kl control: KLControl = .fixed(0.05), clip: Double = 0.2,
    temperature: Float = 1, reference: GPT? = nil, rng: inout RNG, trainingControl: TrainingControl = TrainingControl()
) throws -> [Metric] {
    guard steps >= 1, batch >= 1, epochs >= 1 else {
        throw AlignmentError.invalidArgument(
            "rloo needs steps, batch and epochs ≥ 1, got \(steps), \(batch), \(epochs)")
    }
    guard samples >= 2 else {
        throw AlignmentError.invalidArgument("the leave-one-out baseline needs samples ≥ 2, got \(samples)")
    }
    guard lr > 0, clip > 0 else {
        throw AlignmentError.invalidArgument("rloo needs lr and clip > 0, got \(lr), \(clip)")
    }
    guard control.initial >= 0 else {
        throw AlignmentError.invalidArgument("KL weight must be ≥ 0, got \(control.initial)")
    }
    if case let .adaptive(_, target, horizon) = control, !(target > 0 && horizon > 0) {
        throw AlignmentError.invalidArgument(
            "adaptive KL needs target > 0 and horizon > 0, got \(target) and \(horizon)")
    }
    guard temperature > 0, temperature.isFinite else {
        throw AlignmentError.invalidArgument("rloo needs a temperature > 0, got \(temperature)")
    }
    try checkTextPolicy("rloo", policy, reference: reference, task: task)
    let reference = reference ?? policy
    var optimizer = Adam(shapes: GPT.parameterShapes(policy.config))
    var beta = control.initial
    let finite = FiniteGuard(function: "rloo", model: "policy")
    let c = task.continuation
    var metrics: [Metric] = []
    for step in 0..<steps {
        try trainingControl.checkpoint(step, of: steps)
        let prompts = (0..<batch).flatMap { _ in
            Array(repeating: task.prompts[rng.int(below: task.prompts.count)], count: samples)
        }
        let continuations = try sampleContinuations(
            policy, prompts: prompts, task: task, temperature: temperature, rng: &rng)
        let rollout = ContinuationBatch(prompts: prompts, continuations: continuations)
        let scores = try scoreSequences(reward, rollout.sequences, function: "rloo")
        let old = sequenceSums(
            policy.continuationScores(batch: rollout, head: nil, temperature: temperature).logp
                .map(Double.init), length: c)
        let ref = sequenceSums(
            reference.continuationScores(batch: rollout, head: nil, temperature: temperature).logp
                .map(Double.init), length: c)
        let kl = zip(old, ref).map { $0 - $1 }
        let rewards = zip(scores, kl).map { $0 - beta * $1 }
        let advantages = leaveOneOutAdvantages(rewards, groupSize: samples).map(Float.init)
        var lossSum = 0.0
        for _ in 0..<epochs {
            let tape = Tape()
            let p = policy.parameters.map { tape.leaf($0) }
            let logp = policy.continuationScores(
                on: tape, parameters: p, head: nil, batch: rollout, temperature: temperature
            ).logp
            let sequenceLogp = tape.sequenceSums(logp, batch: rollout.batch, length: c)  // [n, 1]
            let loss = PPOLoss.recordPolicy(
                on: tape, logp: sequenceLogp, oldLogp: old.map(Float.init), advantages: advantages, clip: Float(clip))
            lossSum += Double(tape.value(loss).data[0])
            try finite.check(loss: lossSum, at: step)
            let g = tape.backward(loss)
            optimizer.update(&policy.parameters, gradients: p.map { g[$0] }, lr: Float(lr))
        }
        try finite.check(policy, at: step)
        let n = Double(rollout.batch)
        let meanKL = kl.reduce(0, +) / n
        let logged: [(String, Double)] = [
            ("objective/kl", meanKL), ("objective/kl_coef", beta), ("objective/entropy", -old.reduce(0, +) / n),
            ("loss/policy", lossSum / Double(epochs)), ("proxy", scores.reduce(0, +) / n),
            ("gold", (0..<rollout.batch).reduce(0.0) { $0 + task.gold(tokens: rollout.continuation($1)) } / n),
        ]
        metrics += logged.map { Metric($0.0, step: step, $0.1) }
        beta = control.update(beta, kl: meanKL, samples: rollout.batch)
    }
    try trainingControl.checkpoint(steps, of: steps)
    return metrics
}

extension FiniteGuard {
    /// Checks a GPT's parameters by their GPT-2 names.
    func check(_ model: GPT, at step: Int) throws {
        for (name, tensor) in zip(model.parameterNames, model.parameters) { try check(tensor, named: name, at: step) }
    }
}
