import Engine
import Models

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The policy-gradient method of `optimize`.
public enum PolicyGradientMethod: String, Sendable, Equatable {
    /// REINFORCE with the leave-one-out baseline (Ahmadian et al. 2024): one gradient step per batch.
    case rloo
    /// PPO (Schulman et al. 2017): several epochs of the clipped surrogate on each batch, with RLOO advantages
    /// (every episode is one step, so generalised advantage estimation reduces to reward − baseline).
    case ppo
}

/// The PPO clipped surrogate per sample: min(ρ·A, clip(ρ, 1 − ε, 1 + ε)·A), ρ = π/π_old. Written out for tests; the
/// training loop records the same expression on the tape.
public func clippedSurrogate(ratio: Double, advantage: Double, clip: Double) -> Double {
    min(ratio * advantage, min(max(ratio, 1 - clip), 1 + clip) * advantage)
}

/// Leave-one-out baselines: each reward minus the mean of the other rewards of its group (groups of `k` in order).
public func leaveOneOutAdvantages(_ rewards: [Double], groupSize k: Int) -> [Double] {
    var out = rewards
    for g in stride(from: 0, to: rewards.count, by: k) {
        let group = rewards[g..<min(g + k, rewards.count)]
        let total = group.reduce(0, +)
        let n = Double(group.count)
        for i in group.indices { out[i] = n > 1 ? rewards[i] - (total - rewards[i]) / (n - 1) : 0 }
    }
    return out
}

/// Fine-tunes a sampling policy to maximise the reward model's score of its sampled responses minus β·KL to a frozen
/// reference, the KL-regularised RLHF objective of Ziegler et al. (2019) and Ouyang et al. (2022).
///
/// Each step draws `batch` training prompts and `samples` candidates per prompt from π; the reward of a sample is
/// r(y) − β·(log π(y|x) − log π_ref(y|x)) (the per-sample KL estimator, whose mean is KL(π‖π_ref)); advantages are
/// leave-one-out. Returns per step: `proxy` (E_π of the RM score over the batch's prompts), `gold` (E_π of the hidden
/// gold reward — measured, never optimised), `kl` (exact KL to the reference), `entropy`, `beta`.
public func optimize<Task: CandidateTask>(
    _ policy: inout SamplingPolicy, rewardModel rm: RewardModel, task: Task,
    method: PolicyGradientMethod, steps: Int, lr: Double, kl control: KLControl, batch: Int = 16,
    samples: Int = 4, epochs: Int = 4, clip: Double = 0.2, reference: SamplingPolicy? = nil,
    rng: inout RNG, trainingControl: TrainingControl = TrainingControl()
) throws -> [Metric] {
    guard steps >= 1, batch >= 1, epochs >= 1 else {
        throw AlignmentError.invalidArgument(
            "optimize needs steps, batch and epochs ≥ 1, got \(steps), \(batch), \(epochs)")
    }
    guard samples >= 2 else {
        throw AlignmentError.invalidArgument("the leave-one-out baseline needs samples ≥ 2, got \(samples)")
    }
    guard lr > 0 else { throw AlignmentError.invalidArgument("optimize needs lr > 0, got \(lr)") }
    guard control.initial >= 0 else {
        throw AlignmentError.invalidArgument("KL weight must be ≥ 0, got \(control.initial)")
    }
    guard clip > 0 else { throw AlignmentError.invalidArgument("PPO clip must be > 0, got \(clip)") }
    if case let .adaptive(_, target, horizon) = control, !(target > 0 && horizon > 0) {
        throw AlignmentError.invalidArgument(
            "adaptive KL needs target > 0 and horizon > 0, got \(target) and \(horizon)")
    }
    try task.check(samplingPolicy: policy)
    try task.check(rewardModel: rm)
    let reference = reference ?? policy
    try task.check(samplingPolicy: reference)

    var optimizer = policy.optimizer ?? Adam(shapes: policy.network.parameters.map(\.shape))
    var beta = control.initial
    let finite = FiniteGuard(function: method.rawValue, model: "policy")
    var metrics: [Metric] = []
    for step in 0..<steps {
        if step % 8 == 0 { try trainingControl.checkpoint(step, of: steps) }
        let prompts = (0..<batch).map { _ in rng.int(below: task.promptCount) }
        let x = task.prompts.gatherRows(prompts)  // [batch, dim]
        let logp = policy.logProbabilities(x)  // [batch, K]
        let logRef = reference.logProbabilities(x)
        let rmScores = task.rewardTable(rm, prompts, test: false)  // [batch, K]
        let stats = PolicyStatistics(logp: logp, reference: logRef)
        metrics.append(Metric("proxy", step: step, expectation(logp, of: rmScores)))
        metrics.append(Metric("gold", step: step, expectation(logp, of: task.goldTable(prompts, test: false))))
        metrics.append(Metric("kl", step: step, stats.kl))
        metrics.append(Metric("entropy", step: step, stats.entropy))
        metrics.append(Metric("beta", step: step, beta))

        // Sample `samples` responses per prompt; rows are grouped by prompt for the leave-one-out baseline.
        let k = task.candidateCount
        var rows: [Int] = [], actions: [Int] = [], oldLogp: [Float] = [], rewards: [Double] = []
        var klSample = 0.0
        for (i, _) in prompts.enumerated() {
            for _ in 0..<samples {
                let a = SamplingPolicy.sample(logp, row: i, rng: &rng)
                let lp = logp.data[i * k + a], lref = logRef.data[i * k + a]
                rows.append(i)
                actions.append(a)
                oldLogp.append(lp)
                klSample += Double(lp - lref)
                rewards.append(Double(rmScores.data[i * k + a]) - beta * Double(lp - lref))
            }
        }
        klSample /= Double(rows.count)
        let advantages = leaveOneOutAdvantages(rewards, groupSize: samples).map(Float.init)
        let xs = x.gatherRows(rows)  // [batch·samples, dim]
        let advantage = Tensor(shape: [rows.count, 1], data: advantages)
        let old = Tensor(shape: [rows.count, 1], data: oldLogp)
        for _ in 0..<(method == .ppo ? epochs : 1) {
            let tape = Tape()
            var params = policy.network.parameters
            let p = params.map { tape.leaf($0) }
            let chosen = tape.pick(
                policy.logProbabilities(tape.constant(xs), parameters: p, on: tape), columns: actions)  // [n, 1]
            let objective: Var
            switch method {
            case .rloo:
                objective = tape.mean(tape.mul(chosen, tape.constant(advantage)))
            case .ppo:
                let ratio = tape.exp(tape.sub(chosen, tape.constant(old)))  // [n, 1]
                let a = tape.constant(advantage)
                let clipped = tape.mul(tape.clamp(ratio, Float(1 - clip), Float(1 + clip)), a)
                objective = tape.mean(tape.minimum(tape.mul(ratio, a), clipped))
            }
            try finite.check(loss: -Double(tape.value(objective).data[0]), at: step)
            let grads = tape.backward(tape.neg(objective))
            optimizer.update(&params, gradients: p.map { grads[$0] }, lr: Float(lr))
            policy.network.parameters = params
            try finite.check(policy.network, at: step)
        }
        beta = control.update(beta, kl: klSample, samples: rows.count)
    }
    try finite.check(optimizer, at: steps - 1)
    policy.optimizer = optimizer
    try trainingControl.checkpoint(steps, of: steps)
    return metrics
}
