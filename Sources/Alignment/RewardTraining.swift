import Engine
import Models

/// Trains a reward model on preference pairs with the Bradley–Terry loss −log σ(r(chosen) − r(rejected)) and Adam
/// (the seed's Slide 5, on the responses actually judged rather than on fresh noise).
///
/// Pairs are shuffled each epoch by `rng`. Returns per-epoch `loss` (mean training loss over the epoch) and
/// `accuracy` (fraction of all pairs the model ranks the annotator's way after the epoch).
///
/// With `heldOut` > 0 that fraction of the pairs is set aside first (drawn from `rng`) and never trained on; `accuracy`
/// is then measured on it, and `train_accuracy` on the rest. With a `task`, `gold_agreement` and `calibration_error`
/// (see `assess`) are logged too, on the held-out pairs when there are any.
public func fit(
    _ rm: inout RewardModel, on all: PreferenceDataset, epochs: Int, lr: Double, batch: Int,
    heldOut: Double = 0, task: VectorTask? = nil,
    rng: inout RNG, control: TrainingControl = TrainingControl()
) throws -> [Metric] {
    guard epochs >= 1 else { throw AlignmentError.invalidArgument("fit needs epochs ≥ 1, got \(epochs)") }
    guard batch >= 1 else { throw AlignmentError.invalidArgument("fit needs batch ≥ 1, got \(batch)") }
    guard lr > 0 else { throw AlignmentError.invalidArgument("fit needs lr > 0, got \(lr)") }
    guard all.count > 0 else {
        throw AlignmentError.emptyDataset("fit needs at least one preference pair; the dataset is empty")
    }
    guard all.dim == rm.input else {
        throw AlignmentError.shapeMismatch(
            "reward model reads \(rm.input) values but the preferences hold responses of \(all.dim)")
    }
    if let task { try task.check(rewardModel: rm) }
    let (data, test) = heldOut > 0 ? try split(all, heldOut: heldOut, rng: &rng) : (all, all)
    var optimizer = rm.optimizer ?? Adam(shapes: rm.network.parameters.map(\.shape))
    let finite = FiniteGuard(function: "fit", model: "rm", unit: "epoch")
    var metrics: [Metric] = []
    for epoch in 0..<epochs {
        try control.checkpoint(epoch, of: epochs)
        let order = rng.permutation(data.count)
        var lossSum: Double = 0
        // The parameters live here during the epoch: after the first step they are no longer shared with the model,
        // so the optimiser updates them in place instead of copying them every step.
        var params = rm.network.parameters
        do {
            defer { rm.network.parameters = params }
            for (n, start) in stride(from: 0, to: order.count, by: batch).enumerated() {
                if n % 64 == 63, control.isCancelled() { throw AlignmentError.cancelled }
                let idx = Array(order[start..<min(start + batch, order.count)])
                let (loss, grads) = bradleyTerryStep(rm.network, params, data.stackedBatch(idx), pairs: idx.count)
                lossSum += Double(loss) * Double(idx.count)
                optimizer.update(&params, gradients: grads, lr: Float(lr))
            }
        }
        try finite.check(loss: lossSum, at: epoch)
        try finite.check(rm.network, at: epoch)
        try finite.check(optimizer, at: epoch)
        rm.optimizer = optimizer
        metrics.append(Metric("loss", step: epoch, lossSum / Double(data.count)))
        metrics.append(Metric("accuracy", step: epoch, accuracy(rm, on: test)))
        if heldOut > 0 { metrics.append(Metric("train_accuracy", step: epoch, accuracy(rm, on: data))) }
        if let task {
            let q = try assess(rm, on: test, task: task)
            metrics.append(Metric("gold_agreement", step: epoch, q.goldAgreement))
            metrics.append(Metric("calibration_error", step: epoch, q.calibrationError))
        }
    }
    try control.checkpoint(epochs, of: epochs)
    return metrics
}

/// The Bradley–Terry loss of one batch and its gradient for each parameter of `network`.
///
/// `x` stacks the batch's rejected responses over its chosen ones, so both go through the network in one pass. In
/// that order the backward pass sums each weight's gradient over the rejected rows first, then the chosen rows, just
/// as two separate passes (chosen recorded first) would: the fused batch gives the same bits.
func bradleyTerryStep(_ network: TwoLayerMLP, _ params: [Tensor], _ x: Tensor, pairs b: Int) -> (
    loss: Float, gradients: [Tensor?]
) {
    let tape = Tape()
    let p = params.map { tape.leaf($0) }
    let r = network.forward(tape.constant(x), parameters: p, on: tape)  // [2b, 1]
    let (rr, rc) = (tape.rows(r, 0..<b), tape.rows(r, b..<(2 * b)))  // [b, 1] each
    let loss = tape.neg(tape.mean(tape.logSigmoid(tape.sub(rc, rr))))
    let grads = tape.backward(loss)
    return (tape.value(loss).data[0], p.map { grads[$0] })
}

/// Fraction of pairs whose chosen response the model scores strictly higher than the rejected one.
public func accuracy(_ rm: RewardModel, on data: PreferenceDataset) -> Double {
    data.fractionRankedRight(by: rm.scores)
}
