import Engine
import Models

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// DPO's loss on one pair (Rafailov et al. 2023): −log σ(β·[(log π(y⁺|x) − log π_ref(y⁺|x)) − (log π(y⁻|x) − log π_ref(y⁻|x))]).
public func dpoLoss(chosen: Double, rejected: Double, referenceChosen: Double, referenceRejected: Double, beta: Double)
    -> Double
{
    let z = beta * ((chosen - referenceChosen) - (rejected - referenceRejected))
    return -(min(z, 0) - log1p(exp(-abs(z))))
}

/// Trains a sampling policy directly on preference pairs over the task's candidates with the DPO loss, no reward model.
///
/// Rows must compare two of the task's candidates (feedback collected without a policy). Returns per epoch: `loss`,
/// `accuracy` (fraction of pairs whose implicit reward margin is positive), and over the training prompts `gold`
/// (E_π of gold), `kl` to the reference, `entropy`, `beta`.
public func dpo<Task: CandidateTask>(
    _ policy: inout SamplingPolicy, on data: PreferenceDataset, task: Task, beta: Double = 0.1,
    epochs: Int, lr: Double, batch: Int = 32, reference: SamplingPolicy? = nil, rng: inout RNG,
    control: TrainingControl = TrainingControl()
) throws -> [Metric] {
    guard epochs >= 1, batch >= 1 else {
        throw AlignmentError.invalidArgument("dpo needs epochs and batch ≥ 1, got \(epochs) and \(batch)")
    }
    guard beta > 0 else { throw AlignmentError.invalidArgument("dpo needs beta > 0, got \(beta)") }
    guard lr > 0 else { throw AlignmentError.invalidArgument("dpo needs lr > 0, got \(lr)") }
    guard data.count > 0 else {
        throw AlignmentError.emptyDataset("dpo needs at least one preference pair; the dataset is empty")
    }
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
    let refMargin = (0..<data.count).map { i in
        refAll.data[prompts[i] * k + chosen[i]] - refAll.data[prompts[i] * k + rejected[i]]
    }
    let gold = task.goldTable(Array(0..<task.promptCount), test: false)
    var optimizer = policy.optimizer ?? Adam(shapes: policy.network.parameters.map(\.shape))
    let finite = FiniteGuard(function: "dpo", model: "policy", unit: "epoch")
    var metrics: [Metric] = []
    for epoch in 0..<epochs {
        try control.checkpoint(epoch, of: epochs)
        let order = rng.permutation(data.count)
        var lossSum = 0.0, right = 0
        for (n, start) in stride(from: 0, to: order.count, by: batch).enumerated() {
            if n % 64 == 63, control.isCancelled() { throw AlignmentError.cancelled }
            let idx = Array(order[start..<min(start + batch, order.count)])
            let tape = Tape()
            var params = policy.network.parameters
            let p = params.map { tape.leaf($0) }
            let logp = policy.logProbabilities(
                tape.constant(task.prompts.gatherRows(idx.map { prompts[$0] })), parameters: p, on: tape)
            let margin = tape.sub(
                tape.pick(logp, columns: idx.map { chosen[$0] }), tape.pick(logp, columns: idx.map { rejected[$0] }))
            let implicit = tape.scale(
                tape.sub(margin, tape.constant(Tensor(shape: [idx.count, 1], data: idx.map { refMargin[$0] }))),
                Float(beta))
            let loss = tape.neg(tape.mean(tape.logSigmoid(implicit)))  // [1]
            lossSum += Double(tape.value(loss).data[0]) * Double(idx.count)
            right += tape.value(implicit).data.filter { $0 > 0 }.count
            let grads = tape.backward(loss)
            optimizer.update(&params, gradients: p.map { grads[$0] }, lr: Float(lr))
            policy.network.parameters = params
        }
        try finite.check(loss: lossSum, at: epoch)
        try finite.check(policy.network, at: epoch)
        try finite.check(optimizer, at: epoch)
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
