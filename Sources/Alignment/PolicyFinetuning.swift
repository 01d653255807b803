import Engine
import Models

/// Fine-tunes a policy to maximise a reward model's score of its responses (the seed's Slide 6), optionally with a
/// penalty that keeps it near a frozen reference policy.
///
/// Both policies are read as Gaussians of spread σ = `task.noise` around their outputs. Each step draws `batch`
/// training prompts and one sample y = π(x) + σε per prompt, and minimises `−mean r(y) + β · mean KL(π(·|x) ‖ π_ref(·|x))`
/// with KL = ‖π(x) − π_ref(x)‖² / 2σ²: the reward is that of the policy's samples, as the KL is that of its
/// distribution (the gradient of r flows through y = π(x) + σε, the reparameterisation trick). With β = 0 this is the
/// seed's method, which lets the reward model's score run away. `reference` defaults to the policy as it was when the
/// call began.
///
/// Returns per step: `rm_score` (mean RM score of the batch's samples), `gold` (mean expected gold reward of the
/// batch's Gaussians, exact — for measurement only, it never reaches the gradient), `kl` and `loss`.
public func finetune(
    _ policy: inout PolicyModel, rewardModel rm: RewardModel, task: VectorTask, steps: Int, lr: Double,
    kl beta: Double, batch: Int, reference: PolicyModel? = nil, rng: inout RNG,
    control: TrainingControl = TrainingControl()
) throws -> [Metric] {
    guard steps >= 1 else { throw AlignmentError.invalidArgument("finetune needs steps ≥ 1, got \(steps)") }
    guard batch >= 1 else { throw AlignmentError.invalidArgument("finetune needs batch ≥ 1, got \(batch)") }
    guard lr > 0 else { throw AlignmentError.invalidArgument("finetune needs lr > 0, got \(lr)") }
    guard beta >= 0 else { throw AlignmentError.invalidArgument("finetune needs kl ≥ 0, got \(beta)") }
    try task.check(policy: policy)
    try task.check(rewardModel: rm)
    let reference = reference ?? policy
    try task.check(policy: reference)

    var optimizer = policy.optimizer ?? Adam(shapes: policy.network.parameters.map(\.shape))
    let klScale = Float(1 / (2 * Double(task.noise) * Double(task.noise) * Double(batch)))
    let finite = FiniteGuard(function: "finetune", model: "policy")
    var metrics: [Metric] = []
    metrics.reserveCapacity(min(steps, 100_000) * 4)  // a huge `steps` must stay cancellable, not allocate up front
    for step in 0..<steps {
        if step % 16 == 0 { try control.checkpoint(step, of: steps) }
        let idx = (0..<batch).map { _ in rng.int(below: task.promptCount) }
        let x = task.prompts.gatherRows(idx)  // [batch, dim]
        let tape = Tape()
        var params = policy.network.parameters
        let p = params.map { tape.leaf($0) }
        let y = policy.network.forward(tape.constant(x), parameters: p, on: tape)  // [batch, dim], the means
        let sample = tape.add(y, tape.constant(rng.normalTensor([batch, task.dim], scale: task.noise)))
        let read = task.contextual ? tape.concatColumns(tape.constant(x), sample) : sample
        let frozen = rm.network.parameters.map { tape.constant($0) }
        let r = rm.network.forward(read, parameters: frozen, on: tape)  // [batch, 1]
        let score = tape.mean(r)
        let d = tape.sub(y, tape.constant(reference(x)))
        let klTerm = tape.scale(tape.sum(tape.mul(d, d)), klScale)  // mean KL over the batch
        let loss = tape.add(tape.neg(score), tape.scale(klTerm, Float(beta)))
        try finite.check(loss: Double(tape.value(loss).data[0]), at: step)
        let grads = tape.backward(loss)
        optimizer.update(&params, gradients: p.map { grads[$0] }, lr: Float(lr))
        policy.network.parameters = params
        try finite.check(policy.network, at: step)

        let gold = task.expectedGold(means: tape.value(y), prompts: idx, test: false).reduce(0, +) / Float(batch)
        metrics.append(Metric("rm_score", step: step, Double(tape.value(score).data[0])))
        metrics.append(Metric("gold", step: step, Double(gold)))
        metrics.append(Metric("kl", step: step, Double(tape.value(klTerm).data[0])))
        metrics.append(Metric("loss", step: step, Double(tape.value(loss).data[0])))
    }
    try finite.check(optimizer, at: steps - 1)
    policy.optimizer = optimizer
    try control.checkpoint(steps, of: steps)
    return metrics
}
