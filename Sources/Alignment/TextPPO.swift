import Engine
import Models

/// PPO's hyper-parameters on text, named and defaulted as TRL's `PPOConfig` (classic `PPOTrainer`) except where said.
public struct PPOSettings: Sendable, Equatable {
    /// Rollouts (PPO iterations) of this call.
    public var steps: Int
    /// Prompts per rollout, one continuation each (TRL `batch_size`).
    public var batch: Int
    /// Sequences per gradient step; must divide `batch` (TRL `mini_batch_size`).
    public var minibatch: Int
    /// Passes over each rollout (TRL `ppo_epochs`).
    public var epochs: Int
    /// Adam's learning rate, for the policy and its value head (TRL `learning_rate`, 1.41e-5 there).
    public var lr: Double
    /// The KL weight β: fixed, or Ziegler's adaptive controller (TRL `init_kl_coef`, `adap_kl_ctrl`, `target`, `horizon`).
    public var kl: KLControl
    /// ε of the clipped ratio (TRL `cliprange`).
    public var clip: Double = 0.2
    /// ε_v of the clipped value (TRL `cliprange_value`).
    public var clipValue: Double = 0.2
    /// Weight of the value loss (TRL `vf_coef`).
    public var valueCoefficient: Double = 0.1
    public var gamma: Double = 1
    public var lambda: Double = 0.95
    /// Sampling temperature; log-probabilities are those of the tempered policy, the one that sampled.
    public var temperature: Float = 1
    /// A minibatch whose mean ratio exceeds this takes a zero gradient (TRL `ratio_threshold`).
    public var ratioThreshold: Double = 10

    public init(
        steps: Int, batch: Int = 64, minibatch: Int = 16, epochs: Int = 4, lr: Double = 1.41e-5,
        kl: KLControl = .adaptive(initial: 0.2, target: 6, horizon: 10000)
    ) {
        self.steps = steps
        self.batch = batch
        self.minibatch = minibatch
        self.epochs = epochs
        self.lr = lr
        self.kl = kl
    }

    func check() throws {
        guard steps >= 1, batch >= 1, epochs >= 1 else {
            throw AlignmentError.invalidArgument(
                "ppo needs steps, batch and epochs ≥ 1, got \(steps), \(batch), \(epochs)")
        }
        guard minibatch >= 1, minibatch <= batch, batch % minibatch == 0 else {
            throw AlignmentError.invalidArgument("ppo needs a minibatch that divides batch \(batch), got \(minibatch)")
        }
        guard lr > 0 else { throw AlignmentError.invalidArgument("ppo needs lr > 0, got \(lr)") }
        guard kl.initial >= 0 else { throw AlignmentError.invalidArgument("KL weight must be ≥ 0, got \(kl.initial)") }
        if case let .adaptive(_, target, horizon) = kl, !(target > 0 && horizon > 0) {
            throw AlignmentError.invalidArgument(
                "adaptive KL needs target > 0 and horizon > 0, got \(target) and \(horizon)")
        }
        guard clip > 0, clipValue > 0 else {
            throw AlignmentError.invalidArgument("ppo needs clip and clip_value > 0, got \(clip) and \(clipValue)")
        }
        guard temperature > 0, temperature.isFinite else {
            throw AlignmentError.invalidArgument("ppo needs a temperature > 0, got \(temperature)")
        }
    }
}

/// Fine-tunes a GPT toward a reward model's scores of its continuations with PPO as TRL's `PPOTrainer.step` runs it
/// (Ziegler et al. 2019; Stiennon et al. 2020): per rollout, sample one continuation per training prompt, score the
/// whole sequence with `reward`, charge each token −β·(log π − log π_ref) and pay the score at the last token, estimate
/// advantages by GAE from the value head and whiten them over the batch, then take `epochs` passes of minibatch Adam
/// steps on the clipped policy loss + vf_coef × the clipped value loss.
///
/// `reward` maps whole token sequences (prompt + continuation, one shape) to one score each. The reference defaults
/// to the policy as it was at the call. A policy without a value head gets `ValueHead(dim:rng:)`, drawn before
/// anything else. Adam starts fresh at each call, as a new TRL trainer does (the GPT's pretraining state is not used).
/// Random draws, in order per step: the batch's prompt indices, the sampled tokens, then each epoch's permutation.
///
/// Logs per step under TRL's names: `objective/kl` (mean over sequences of Σ_t log π − log π_ref), `objective/kl_coef`
/// (β used this step), `objective/entropy` (mean of −Σ_t log π of the sampled tokens), `ppo/loss/policy`,
/// `ppo/loss/value`, `ppo/policy/clipfrac`, `ppo/policy/approxkl`, `ppo/returns/mean` (means over the minibatches),
/// and `proxy` (mean RM score) and `gold` (mean hidden gold of the continuations, never optimised).
public func ppo(
    _ policy: inout GPT, valueHead: inout ValueHead?, reward: ([[Int]]) throws -> [Double], task: TextTask,
    settings s: PPOSettings, reference: GPT? = nil, rng: inout RNG, control: TrainingControl = TrainingControl()
) throws -> [Metric] {
    try s.check()
    try checkTextPolicy("ppo", policy, reference: reference, task: task)
    let reference = reference ?? policy
    var head = valueHead ?? ValueHead(dim: policy.config.dim, rng: &rng)
    guard head.dim == policy.config.dim else {
        throw AlignmentError.shapeMismatch(
            "ppo: the value head reads \(head.dim) features, the policy has \(policy.config.dim)")
    }
    var optimizer = Adam(shapes: GPT.parameterShapes(policy.config) + head.parameters.map(\.shape))
    var beta = s.kl.initial
    let finite = FiniteGuard(function: "ppo", model: "policy")
    let c = task.continuation
    var metrics: [Metric] = []
    for step in 0..<s.steps {
        try control.checkpoint(step, of: s.steps)
        // Rollout.
        let prompts = (0..<s.batch).map { _ in task.prompts[rng.int(below: task.prompts.count)] }
        let continuations = try sampleContinuations(
            policy, prompts: prompts, task: task, temperature: s.temperature, rng: &rng)
        let rollout = ContinuationBatch(prompts: prompts, continuations: continuations)
        let scores = try scoreSequences(reward, rollout.sequences, function: "ppo")
        let old = policy.continuationScores(batch: rollout, head: head, temperature: s.temperature)
        let ref = reference.continuationScores(batch: rollout, head: nil, temperature: s.temperature).logp
        var advantages: [Double] = [], returns: [Double] = []
        var klSum = 0.0, entropySum = 0.0
        for b in 0..<s.batch {
            let span = (b * c)..<((b + 1) * c)
            let logp = old.logp[span].map(Double.init), refLogp = ref[span].map(Double.init)
            let rewards = tokenRewards(score: scores[b], logp: logp, referenceLogp: refLogp, beta: beta)
            let gae = generalizedAdvantages(
                rewards: rewards, values: old.values[span].map(Double.init), gamma: s.gamma, lambda: s.lambda)
            advantages += gae.advantages
            returns += gae.returns
            klSum += zip(logp, refLogp).reduce(0) { $0 + $1.0 - $1.1 }
            entropySum -= logp.reduce(0, +)
        }
        let whitened = whiten(advantages).map(Float.init)
        let returns32 = returns.map(Float.init)

        // Optimisation: `epochs` passes of shuffled minibatches.
        var sums = [Double](repeating: 0, count: 5)  // policy, value, clipfrac, approxkl, returns mean
        var updates = 0
        for _ in 0..<s.epochs {
            let order = rng.permutation(s.batch)
            for start in stride(from: 0, to: s.batch, by: s.minibatch) {
                let rows = Array(order[start..<(start + s.minibatch)])
                let tokenRows = rows.flatMap { b in (b * c)..<((b + 1) * c) }
                let minibatch = PPOMinibatch(
                    sequences: ContinuationBatch(rollout, rows: rows), oldLogp: tokenRows.map { old.logp[$0] },
                    oldValues: tokenRows.map { old.values[$0] }, advantages: tokenRows.map { whitened[$0] },
                    returns: tokenRows.map { returns32[$0] })
                let stats = ppoUpdate(&policy, &head, optimizer: &optimizer, minibatch: minibatch, settings: s)
                try finite.check(loss: stats.policy + stats.value, at: step)
                let mbReturns = tokenRows.reduce(0.0) { $0 + Double(returns32[$1]) } / Double(tokenRows.count)
                for (i, v) in [stats.policy, stats.value, stats.clipfrac, stats.approxkl, mbReturns].enumerated() {
                    sums[i] += v
                }
                updates += 1
            }
        }
        try finite.check(policy, head, at: step)
        let n = Double(s.batch)
        let meanKL = klSum / n
        let logged: [(String, Double)] = [
            ("objective/kl", meanKL), ("objective/kl_coef", beta), ("objective/entropy", entropySum / n),
            ("ppo/loss/policy", sums[0] / Double(updates)), ("ppo/loss/value", sums[1] / Double(updates)),
            ("ppo/policy/clipfrac", sums[2] / Double(updates)), ("ppo/policy/approxkl", sums[3] / Double(updates)),
            ("ppo/returns/mean", sums[4] / Double(updates)), ("proxy", scores.reduce(0, +) / n),
            ("gold", (0..<s.batch).reduce(0.0) { $0 + task.gold(tokens: rollout.continuation($1)) } / n),
        ]
        metrics += logged.map { Metric($0.0, step: step, $0.1) }
        beta = s.kl.update(beta, kl: meanKL, samples: s.batch)
    }
    valueHead = head
    try control.checkpoint(s.steps, of: s.steps)
    return metrics
}

/// A minibatch of a rollout: its sequences and, per continuation token, what the rollout recorded.
struct PPOMinibatch {
    var sequences: ContinuationBatch
    var oldLogp: [Float]
    var oldValues: [Float]
    var advantages: [Float]
    var returns: [Float]
}

/// The minibatch's loss on `tape`, policy + vf_coef × value, with its parts and the token log-probabilities and values
/// it read.
func recordPPOLoss(
    _ policy: GPT, on tape: Tape, parameters p: [Var], head: (weight: Var, bias: Var), minibatch m: PPOMinibatch,
    settings s: PPOSettings
) -> (loss: Var, policy: Var, value: Var, logp: Var, values: Var) {
    let (logp, values) = policy.continuationScores(
        on: tape, parameters: p, head: head, batch: m.sequences, temperature: s.temperature)
    guard let values else { preconditionFailure("recordPPOLoss: the value head was not read") }
    let losses = PPOLoss.record(
        on: tape, logp: logp, values: values, oldLogp: m.oldLogp, advantages: m.advantages, oldValues: m.oldValues,
        returns: m.returns, clip: Float(s.clip), clipValue: Float(s.clipValue))
    let loss = tape.add(losses.policy, tape.scale(losses.value, Float(s.valueCoefficient)))
    return (loss, losses.policy, losses.value, logp, values)
}

/// One Adam step of policy and value head on a minibatch's PPO loss; returns the losses before the step.
func ppoUpdate(
    _ policy: inout GPT, _ head: inout ValueHead, optimizer: inout Adam, minibatch m: PPOMinibatch,
    settings s: PPOSettings
) -> PPOLoss {
    let tape = Tape()
    let p = policy.parameters.map { tape.leaf($0) }
    let w = tape.leaf(head.columnWeight), b = tape.leaf(head.bias)
    let recorded = recordPPOLoss(policy, on: tape, parameters: p, head: (w, b), minibatch: m, settings: s)
    func doubles(_ x: [Float]) -> [Double] { x.map(Double.init) }
    var stats = PPOLoss.evaluate(
        logp: doubles(tape.value(recorded.logp).data), oldLogp: doubles(m.oldLogp), advantages: doubles(m.advantages),
        values: doubles(tape.value(recorded.values).data), oldValues: doubles(m.oldValues),
        returns: doubles(m.returns), clip: s.clip, clipValue: s.clipValue)
    // The tape's Float32 losses are the ones optimised and logged.
    stats.policy = Double(tape.value(recorded.policy).data[0])
    stats.value = Double(tape.value(recorded.value).data[0])
    var parameters = policy.parameters + head.parameters
    var gradients: [Tensor?]
    if stats.meanRatio > s.ratioThreshold {
        // TRL multiplies the losses by 0 and still steps: Adam moves on its momentum alone.
        gradients = parameters.map { Tensor(zeros: $0.shape) }
    } else {
        let g = tape.backward(recorded.loss)
        gradients = (p + [w, b]).map { g[$0] }
        gradients[p.count] = gradients[p.count].map { Tensor(shape: head.weight.shape, data: $0.data) }
    }
    optimizer.update(&parameters, gradients: gradients, lr: Float(s.lr))
    policy.parameters = Array(parameters[0..<p.count])
    head.parameters = Array(parameters[p.count...])
    return stats
}

extension FiniteGuard {
    /// Checks a policy's parameters and its value head, by their names.
    func check(_ model: GPT, _ head: ValueHead, at step: Int) throws {
        for (name, tensor) in zip(model.parameterNames + ValueHead.parameterNames, model.parameters + head.parameters) {
            try check(tensor, named: name, at: step)
        }
    }
}
