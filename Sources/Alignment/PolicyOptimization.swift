#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engine
import Models

/// How the KL penalty's weight β is set during policy optimisation.
public enum KLControl: Sendable, Equatable {
    /// β stays put.
    case fixed(Double)
    /// Ziegler et al. (2019): after each step with measured KL, β ← β·(1 + clip(KL/target − 1, −0.2, 0.2)·n/horizon),
    /// n the samples in the step; β rises while the policy drifts further than `target` and falls while it stays closer.
    case adaptive(initial: Double, target: Double, horizon: Double)

    var initial: Double {
        switch self {
        case let .fixed(b): b
        case let .adaptive(b, _, _): b
        }
    }

    /// The next β after a step that measured `kl` over `samples` samples.
    public func update(_ beta: Double, kl: Double, samples: Int) -> Double {
        guard case let .adaptive(_, target, horizon) = self else { return beta }
        let error = min(max(kl / target - 1, -0.2), 0.2)
        return beta * (1 + error * Double(samples) / horizon)
    }
}

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
public func optimize<Task: CandidateTask>(_ policy: inout SamplingPolicy, rewardModel rm: RewardModel, task: Task,
                     method: PolicyGradientMethod, steps: Int, lr: Double, kl control: KLControl, batch: Int = 16,
                     samples: Int = 4, epochs: Int = 4, clip: Double = 0.2, reference: SamplingPolicy? = nil,
                     rng: inout RNG, trainingControl: TrainingControl = TrainingControl()) throws -> [Metric] {
    guard steps >= 1, batch >= 1, epochs >= 1 else {
        throw AlignmentError.invalidArgument("optimize needs steps, batch and epochs ≥ 1, got \(steps), \(batch), \(epochs)")
    }
    guard samples >= 2 else { throw AlignmentError.invalidArgument("the leave-one-out baseline needs samples ≥ 2, got \(samples)") }
    guard lr > 0 else { throw AlignmentError.invalidArgument("optimize needs lr > 0, got \(lr)") }
    guard control.initial >= 0 else { throw AlignmentError.invalidArgument("KL weight must be ≥ 0, got \(control.initial)") }
    guard clip > 0 else { throw AlignmentError.invalidArgument("PPO clip must be > 0, got \(clip)") }
    if case let .adaptive(_, target, horizon) = control, !(target > 0 && horizon > 0) {
        throw AlignmentError.invalidArgument("adaptive KL needs target > 0 and horizon > 0, got \(target) and \(horizon)")
    }
    try task.check(samplingPolicy: policy)
    try task.check(responseReader: rm)
    let reference = reference ?? policy
    try task.check(samplingPolicy: reference)

    var optimizer = policy.optimizer ?? Adam(shapes: policy.network.parameters.map(\.shape))
    var beta = control.initial
    var metrics: [Metric] = []
    for step in 0..<steps {
        if step % 8 == 0 { try trainingControl.checkpoint(step, of: steps) }
        let prompts = (0..<batch).map { _ in rng.int(below: task.promptCount) }
        let x = task.prompts.gatherRows(prompts)  // [batch, dim]
        let logp = policy.logProbabilities(x)     // [batch, K]
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
            let chosen = tape.pick(policy.logProbabilities(tape.leaf(xs), parameters: p, on: tape), columns: actions)  // [n, 1]
            let objective: Var
            switch method {
            case .rloo:
                objective = tape.mean(tape.mul(chosen, tape.leaf(advantage)))
            case .ppo:
                let ratio = tape.exp(tape.sub(chosen, tape.leaf(old)))  // [n, 1]
                let a = tape.leaf(advantage)
                let clipped = tape.mul(tape.clamp(ratio, Float(1 - clip), Float(1 + clip)), a)
                objective = tape.mean(tape.minimum(tape.mul(ratio, a), clipped))
            }
            let grads = tape.backward(tape.neg(objective))
            optimizer.update(&params, gradients: p.map { grads[$0] }, lr: Float(lr))
            policy.network.parameters = params
        }
        beta = control.update(beta, kl: klSample, samples: rows.count)
    }
    policy.optimizer = optimizer
    try trainingControl.checkpoint(steps, of: steps)
    return metrics
}

/// DPO's loss on one pair (Rafailov et al. 2023): −log σ(β·[(log π(y⁺|x) − log π_ref(y⁺|x)) − (log π(y⁻|x) − log π_ref(y⁻|x))]).
public func dpoLoss(chosen: Double, rejected: Double, referenceChosen: Double, referenceRejected: Double, beta: Double) -> Double {
    let z = beta * ((chosen - referenceChosen) - (rejected - referenceRejected))
    return -(min(z, 0) - log1p(exp(-abs(z))))
}

/// Trains a sampling policy directly on preference pairs over the task's candidates with the DPO loss, no reward model.
///
/// Rows must compare two of the task's candidates (feedback collected without a policy). Returns per epoch: `loss`,
/// `accuracy` (fraction of pairs whose implicit reward margin is positive), and over the training prompts `gold`
/// (E_π of gold), `kl` to the reference, `entropy`, `beta`.
public func dpo<Task: CandidateTask>(_ policy: inout SamplingPolicy, on data: PreferenceDataset, task: Task, beta: Double = 0.1,
                epochs: Int, lr: Double, batch: Int = 32, reference: SamplingPolicy? = nil, rng: inout RNG,
                control: TrainingControl = TrainingControl()) throws -> [Metric] {
    guard epochs >= 1, batch >= 1 else { throw AlignmentError.invalidArgument("dpo needs epochs and batch ≥ 1, got \(epochs) and \(batch)") }
    guard beta > 0 else { throw AlignmentError.invalidArgument("dpo needs beta > 0, got \(beta)") }
    guard lr > 0 else { throw AlignmentError.invalidArgument("dpo needs lr > 0, got \(lr)") }
    guard data.count > 0 else { throw AlignmentError.emptyDataset("dpo needs at least one preference pair; the dataset is empty") }
    try task.check(samplingPolicy: policy)
    let reference = reference ?? policy
    try task.check(samplingPolicy: reference)
    let (chosen, rejected) = try task.candidateIndices(data)
    let prompts = data.rows.map(\.prompt)
    guard prompts.allSatisfy({ $0 < task.promptCount }) else {
        throw AlignmentError.shapeMismatch("preferences refer to prompts beyond the task's \(task.promptCount)")
    }
    let refAll = reference.logProbabilities(task.prompts)  // [promptCount, K]
    let k = task.candidateCount
    let refMargin = (0..<data.count).map { i in refAll.data[prompts[i] * k + chosen[i]] - refAll.data[prompts[i] * k + rejected[i]] }
    let gold = task.goldTable(Array(0..<task.promptCount), test: false)
    var optimizer = policy.optimizer ?? Adam(shapes: policy.network.parameters.map(\.shape))
    var metrics: [Metric] = []
    for epoch in 0..<epochs {
        try control.checkpoint(epoch, of: epochs)
        let order = rng.permutation(data.count)
        var lossSum = 0.0, right = 0
        for start in stride(from: 0, to: order.count, by: batch) {
            let idx = Array(order[start..<min(start + batch, order.count)])
            let tape = Tape()
            var params = policy.network.parameters
            let p = params.map { tape.leaf($0) }
            let logp = policy.logProbabilities(tape.leaf(task.prompts.gatherRows(idx.map { prompts[$0] })), parameters: p, on: tape)
            let margin = tape.sub(tape.pick(logp, columns: idx.map { chosen[$0] }), tape.pick(logp, columns: idx.map { rejected[$0] }))
            let implicit = tape.scale(tape.sub(margin, tape.leaf(Tensor(shape: [idx.count, 1], data: idx.map { refMargin[$0] }))), Float(beta))
            let loss = tape.neg(tape.mean(tape.logSigmoid(implicit)))  // [1]
            lossSum += Double(tape.value(loss).data[0]) * Double(idx.count)
            right += tape.value(implicit).data.filter { $0 > 0 }.count
            let grads = tape.backward(loss)
            optimizer.update(&params, gradients: p.map { grads[$0] }, lr: Float(lr))
            policy.network.parameters = params
        }
        let logp = policy.logProbabilities(task.prompts)
        let stats = PolicyStatistics(logp: logp, reference: refAll)
        metrics.append(Metric("loss", step: epoch, lossSum / Double(data.count)))
        metrics.append(Metric("accuracy", step: epoch, Double(right) / Double(data.count)))
        metrics.append(Metric("gold", step: epoch, expectation(logp, of: gold)))
        metrics.append(Metric("kl", step: epoch, stats.kl))
        metrics.append(Metric("entropy", step: epoch, stats.entropy))
        metrics.append(Metric("beta", step: epoch, beta))
    }
    policy.optimizer = optimizer
    try control.checkpoint(epochs, of: epochs)
    return metrics
}

extension VectorTask {
    /// The candidate index of each row's chosen and rejected response.
    public func candidateIndices(_ data: PreferenceDataset) throws -> (chosen: [Int], rejected: [Int]) {
        var index: [[Float]: Int] = [:]
        for i in 0..<candidateCount { index[Array(candidates.data[(i * dim)..<(i * dim + dim)])] = i }
        var c: [Int] = [], r: [Int] = []
        for row in data.rows {
            guard let i = index[row.chosen], let j = index[row.rejected] else {
                throw AlignmentError.invalidArgument(
                    "preference \(row.uid) does not compare two of the task's candidates; collect the pairs without a policy")
            }
            c.append(i)
            r.append(j)
        }
        return (c, r)
    }
}
