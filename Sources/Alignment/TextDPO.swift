import Engine
import Models

/// DPO (Rafailov et al. 2023) on text preference pairs with a GPT policy: each pair's sequence log-probabilities
/// log π(y|x) = Σ_t log π(y_t | x, y_<t) over its continuation's tokens, under the policy and under a frozen
/// reference, and the loss −log σ(β·[(log π(y⁺|x) − log π_ref(y⁺|x)) − (log π(y⁻|x) − log π_ref(y⁻|x))]) (`dpoLoss`).
///
/// Every row must be a text pair (`PreferencePair.text`) whose prompt has the task's prompt length and whose chosen
/// and rejected continuations (`chosen`/`rejected`, token ids as Floats) have the task's continuation length. Adam
/// starts fresh at each call. Random draws: each epoch's permutation, then the held-out evaluation's samples.
///
/// Logs per epoch TRL's `loss`, `rewards/chosen`, `rewards/rejected` (β·(log π − log π_ref), means), `rewards/margins`,
/// `rewards/accuracies` (fraction with a positive margin), and on held-out prompts `gold` and `kl`
/// (`TextEvaluation`).
public func dpo(
    _ policy: inout GPT, on data: PreferenceDataset, task: TextTask, beta: Double = 0.1, epochs: Int, lr: Double,
    batch: Int = 16, reference: GPT? = nil, rng: inout RNG, control: TrainingControl = TrainingControl()
) throws -> [Metric] {
    guard epochs >= 1, batch >= 1 else {
        throw AlignmentError.invalidArgument("dpo needs epochs and batch ≥ 1, got \(epochs) and \(batch)")
    }
    guard beta > 0 else { throw AlignmentError.invalidArgument("dpo needs beta > 0, got \(beta)") }
    guard lr > 0 else { throw AlignmentError.invalidArgument("dpo needs lr > 0, got \(lr)") }
    guard data.count > 0 else {
        throw AlignmentError.emptyDataset("dpo needs at least one preference pair; the dataset is empty")
    }
    try checkTextPolicy("dpo", policy, reference: reference, task: task)
    let reference = reference ?? policy
    let pairs = try TextPairs(data, task: task)
    let refChosen = pairs.sequenceLogp(reference, pairs.chosen)
    let refRejected = pairs.sequenceLogp(reference, pairs.rejected)
    var optimizer = Adam(shapes: GPT.parameterShapes(policy.config))
    let finite = FiniteGuard(function: "dpo", model: "policy", unit: "epoch")
    var metrics: [Metric] = []
    for epoch in 0..<epochs {
        try control.checkpoint(epoch, of: epochs)
        let order = rng.permutation(data.count)
        var sums = [Double](repeating: 0, count: 4)  // loss, chosen reward, rejected reward, right
        for start in stride(from: 0, to: order.count, by: batch) {
            let idx = Array(order[start..<min(start + batch, order.count)])
            let n = idx.count
            // Chosen sequences, then rejected ones, in one forward.
            let sequences = ContinuationBatch(
                prompts: (idx + idx).map { pairs.prompts[$0] },
                continuations: idx.map { pairs.chosen[$0] } + idx.map { pairs.rejected[$0] })
            let tape = Tape()
            let p = policy.parameters.map { tape.leaf($0) }
            let (loss, rewards, margin) = recordDPOLoss(
                policy, on: tape, parameters: p, sequences: sequences,
                referenceLogp: idx.map { refChosen[$0] } + idx.map { refRejected[$0] }, beta: beta)
            let r = tape.value(rewards).data, m = tape.value(margin).data
            sums[0] += Double(tape.value(loss).data[0]) * Double(n)
            sums[1] += r[0..<n].reduce(0.0) { $0 + Double($1) }
            sums[2] += r[n...].reduce(0.0) { $0 + Double($1) }
            sums[3] += Double(m.filter { $0 > 0 }.count)
            try finite.check(loss: sums[0], at: epoch)
            let g = tape.backward(loss)
            optimizer.update(&policy.parameters, gradients: p.map { g[$0] }, lr: Float(lr))
        }
        try finite.check(policy, at: epoch)
        let n = Double(data.count)
        let held = try TextEvaluation(policy, reference: reference, task: task, rng: &rng)
        let logged: [(String, Double)] = [
            ("loss", sums[0] / n), ("rewards/chosen", sums[1] / n), ("rewards/rejected", sums[2] / n),
            ("rewards/margins", (sums[1] - sums[2]) / n), ("rewards/accuracies", sums[3] / n), ("gold", held.gold),
            ("kl", held.kl),
        ]
        metrics += logged.map { Metric($0.0, step: epoch, $0.1) }
    }
    try control.checkpoint(epochs, of: epochs)
    return metrics
}

/// The DPO loss of n pairs on `tape`: `sequences` holds the n chosen sequences then the n rejected ones, and
/// `referenceLogp` their sequence log-probabilities under the reference. Returns the loss, the implicit rewards
/// β·(log π − log π_ref) [2n, 1] and the margins [n, 1].
func recordDPOLoss(
    _ policy: GPT, on tape: Tape, parameters p: [Var], sequences: ContinuationBatch, referenceLogp: [Float],
    beta: Double
) -> (loss: Var, rewards: Var, margin: Var) {
    let n = sequences.batch / 2
    let logp = policy.continuationScores(on: tape, parameters: p, head: nil, batch: sequences).logp
    let totals = tape.sequenceSums(logp, batch: 2 * n, length: sequences.continuation)  // [2n, 1]
    let rewards = tape.scale(tape.sub(totals, tape.column(referenceLogp)), Float(beta))
    let margin = tape.sub(tape.rows(rewards, 0..<n), tape.rows(rewards, n..<(2 * n)))
    return (tape.neg(tape.mean(tape.logSigmoid(margin))), rewards, margin)
}

/// A preference dataset's text pairs as token ids of the task's shapes.
struct TextPairs {
    var prompts: [[Int]] = []
    var chosen: [[Int]] = []
    var rejected: [[Int]] = []

    init(_ data: PreferenceDataset, task: TextTask) throws {
        for row in data.rows {
            guard let text = row.text else {
                throw AlignmentError.invalidArgument(
                    "dpo on text needs text preference pairs; row \(row.uid) compares vector responses")
            }
            let prompt: [Int]
            do { prompt = try task.tokenizer.encode(text.prompt) } catch {
                throw AlignmentError.invalidArgument("dpo: row \(row.uid)'s prompt: \(error)")
            }
            let continuations = try row.continuationTokens(task.tokenizer, function: "dpo")
            let tokens = [continuations.chosen, continuations.rejected].map { $0.map { Int(exactly: $0) ?? -1 } }
            guard prompt.count == task.promptLength, tokens.allSatisfy({ $0.count == task.continuation }) else {
                throw AlignmentError.shapeMismatch(
                    "dpo: row \(row.uid) has a \(prompt.count)-token prompt and \(tokens[0].count)- and "
                        + "\(tokens[1].count)-token continuations; the task's are \(task.promptLength) and "
                        + "\(task.continuation)")
            }
            guard tokens.joined().allSatisfy({ $0 >= 0 && $0 < task.tokenizer.count }) else {
                throw AlignmentError.invalidArgument("dpo: row \(row.uid) holds a token outside the vocabulary")
            }
            prompts.append(prompt)
            chosen.append(tokens[0])
            rejected.append(tokens[1])
        }
    }

    /// Σ_t log π(y_t | x, y_<t) of each continuation under `model`, Float as the tape holds it.
    func sequenceLogp(_ model: GPT, _ continuations: [[Int]]) -> [Float] {
        let batch = ContinuationBatch(prompts: prompts, continuations: continuations)
        let logp = model.continuationScores(batch: batch, head: nil).logp
        let c = batch.continuation
        return (0..<batch.batch).map { b in logp[(b * c)..<((b + 1) * c)].reduce(0, +) }
    }
}
