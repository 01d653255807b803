import Engine
import Models

/// The optimiser settings a text reward model trains with: Adam's (β₁ 0.9, β₂ 0.999, ε 1e-8, no weight decay, as
/// the vector `fit` and Stiennon et al. 2020 use) with the gradients clipped to a global norm of 1, as a transformer's
/// training usually is, so one unlucky batch cannot throw the pretrained trunk far from where it started.
public let textRewardAdam = AdamWSettings(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, clip: 1)

/// Trains a text reward model on text preference pairs with the Bradley–Terry loss −log σ(r(chosen) − r(rejected)),
/// where each side is the prompt followed by its continuation and r reads the last token (Ziegler et al. 2019,
/// Stiennon et al. 2020). Mirrors the vector `fit`: pairs are shuffled each epoch by `rng` and taken `batch` at a
/// time, one Adam step each (`textRewardAdam`, moments in `optimizer`, created on the first call).
///
/// With `freezeTrunk` only the head learns (a probe of the pretrained features): the trunk's parameters enter the
/// tape as constants, so no gradient reaches them and their bits never change.
///
/// With `heldOut` > 0 that fraction of the pairs is set aside first (drawn from `rng`) and never trained on. Logs per
/// epoch: `loss` (mean training loss over the epoch), `accuracy` (fraction of pairs ranked the annotator's way after
/// the epoch: on the held-out pairs when there are any, else on all), `train_accuracy` (with `heldOut` > 0), and with
/// a `task`, `gold_agreement` and `calibration_error` (see `assess`) on the same pairs as `accuracy`.
public func fit(
    _ rm: inout TextRewardModel, optimizer: inout Adam?, tokenizer: CharTokenizer, on all: PreferenceDataset,
    epochs: Int, lr: Double, batch: Int, heldOut: Double = 0, freezeTrunk: Bool = false, task: TextTask? = nil,
    rng: inout RNG, control: TrainingControl = TrainingControl()
) throws -> [Metric] {
    guard epochs >= 1 else { throw AlignmentError.invalidArgument("fit needs epochs ≥ 1, got \(epochs)") }
    guard batch >= 1 else { throw AlignmentError.invalidArgument("fit needs batch ≥ 1, got \(batch)") }
    guard lr > 0 else { throw AlignmentError.invalidArgument("fit needs lr > 0, got \(lr)") }
    let context = rm.config.context
    _ = try TextPreferenceSequences(all, tokenizer: tokenizer, context: context, function: "fit")
    let (trainRows, testRows) = heldOut > 0 ? try split(all, heldOut: heldOut, rng: &rng) : (all, all)
    let data = try TextPreferenceSequences(trainRows, tokenizer: tokenizer, context: context, function: "fit")
    let test = try TextPreferenceSequences(testRows, tokenizer: tokenizer, context: context, function: "fit")
    let testGold = try task.map { try goldMargins(testRows, task: $0) }
    var adam = optimizer ?? Adam(shapes: TextRewardModel.parameterShapes(rm.config))
    let names = rm.parameterNames
    let finite = FiniteGuard(function: "fit", model: "rm", unit: "epoch")
    var metrics: [Metric] = []
    for epoch in 0..<epochs {
        try control.checkpoint(epoch, of: epochs)
        let order = rng.permutation(data.count)
        var lossSum: Double = 0
        // The parameters live here during the epoch, so the optimiser updates them in place (see the vector `fit`).
        var params = rm.parameters
        do {
            defer { rm.parameters = params }
            for start in stride(from: 0, to: order.count, by: batch) {
                if control.isCancelled() { throw AlignmentError.cancelled }
                let idx = Array(order[start..<min(start + batch, order.count)])
                var (loss, gradients) = textBradleyTerryStep(
                    rm, params, tokens: data.stacked(idx), pairs: idx.count, time: data.time, freezeTrunk: freezeTrunk)
                lossSum += Double(loss) * Double(idx.count)
                clipGradientNorm(&gradients, maxNorm: textRewardAdam.clip)
                adam.updateAdamW(
                    &params, gradients: gradients, lr: Float(lr), settings: textRewardAdam,
                    decayed: [Bool](repeating: false, count: params.count))
            }
        }
        try finite.check(loss: lossSum, at: epoch)
        for (name, tensor) in zip(names, rm.parameters) { try finite.check(tensor, named: name, at: epoch) }
        for (i, name) in names.enumerated() {
            try finite.check(adam.m[i], named: "adam.m." + name, at: epoch)
            try finite.check(adam.v[i], named: "adam.v." + name, at: epoch)
        }
        optimizer = adam
        metrics.append(Metric("loss", step: epoch, lossSum / Double(data.count)))
        let margins = scoreMargins(rm, test)
        metrics.append(Metric("accuracy", step: epoch, fractionPositive(margins)))
        if heldOut > 0 {
            metrics.append(Metric("train_accuracy", step: epoch, fractionPositive(scoreMargins(rm, data))))
        }
        if let testGold {
            metrics.append(Metric("gold_agreement", step: epoch, agreement(margins, testGold)))
            metrics.append(Metric("calibration_error", step: epoch, calibrationError(margins: margins)))
        }
    }
    try control.checkpoint(epochs, of: epochs)
    return metrics
}

/// The Bradley–Terry loss of one batch and its gradient for each parameter (in `TextRewardModel.parameters` order).
///
/// `tokens` stacks the batch's rejected sequences over its chosen ones (`TextPreferenceSequences.stacked`), so both go
/// through the model in one pass. With `freezeTrunk` the trunk's gradients are zero (it is not differentiated).
func textBradleyTerryStep(
    _ rm: TextRewardModel, _ params: [Tensor], tokens: [Int], pairs b: Int, time: Int, freezeTrunk: Bool = false
) -> (loss: Float, gradients: [Tensor]) {
    let tape = Tape()
    let head = params.count - 1
    let p = params.indices.map { i in freezeTrunk && i != head ? tape.constant(params[i]) : tape.leaf(params[i]) }
    let r = rm.scores(on: tape, parameters: p, tokens: tokens, batch: 2 * b, time: time)  // [2b, 1]
    let (rr, rc) = (tape.rows(r, 0..<b), tape.rows(r, b..<(2 * b)))  // [b, 1] each
    let loss = tape.neg(tape.mean(tape.logSigmoid(tape.sub(rc, rr))))
    let g = tape.backward(loss)
    return (tape.value(loss).data[0], zip(p, params).map { v, t in g[v] ?? Tensor(zeros: t.shape) })
}

/// r(chosen) − r(rejected) for every pair, scored without a tape, 32 pairs (64 sequences) at a time.
func scoreMargins(_ rm: TextRewardModel, _ data: TextPreferenceSequences) -> [Double] {
    var margins: [Double] = []
    margins.reserveCapacity(data.count)
    let slice = 32
    for start in stride(from: 0, to: data.count, by: slice) {
        let n = min(slice, data.count - start)
        let s = rm.scores(tokens: data.stacked(Array(start..<(start + n))), batch: 2 * n, time: data.time)
        margins += (0..<n).map { Double(s[n + $0]) - Double(s[$0]) }
    }
    return margins
}

/// gold(chosen) − gold(rejected) for every pair: the task's hidden judge on the two continuations' text.
func goldMargins(_ data: PreferenceDataset, task: TextTask) throws -> [Double] {
    try data.rows.map { row in
        guard let text = row.text else {
            throw AlignmentError.shapeMismatch(
                "preference \(row.uid) holds response vectors, not text; gold agreement on a TextTask needs text")
        }
        return task.gold(text.chosen) - task.gold(text.rejected)
    }
}

private func fractionPositive(_ margins: [Double]) -> Double {
    margins.isEmpty ? 0 : Double(margins.filter { $0 > 0 }.count) / Double(margins.count)
}

/// Fraction of pairs the model ranks as the gold does. A pair the gold scores equal (common with a sentiment judge:
/// most short continuations are neutral, compound 0) ranks neither way, and neither does a model tie, so such a pair
/// counts one half: a model that guesses scores 0.5 in expectation whatever the share of ties.
func agreement(_ margins: [Double], _ gold: [Double]) -> Double {
    guard !margins.isEmpty else { return 0 }
    let credit = zip(margins, gold).reduce(0.0) { sum, pair in
        let (m, g) = pair
        if m == 0 || g == 0 { return sum + 0.5 }
        return sum + ((m > 0) == (g > 0) ? 1 : 0)
    }
    return credit / Double(margins.count)
}

/// Fraction of pairs whose chosen sequence the text reward model scores strictly higher than the rejected one.
public func accuracy(_ rm: TextRewardModel, tokenizer: CharTokenizer, on data: PreferenceDataset) throws -> Double {
    let sequences = try TextPreferenceSequences(
        data, tokenizer: tokenizer, context: rm.config.context, function: "accuracy")
    return fractionPositive(scoreMargins(rm, sequences))
}

/// Accuracy, gold agreement (gold ties counting one half, see `agreement`) and calibration error of a text reward
/// model on text preference pairs, the gold being `task`'s judge of each continuation.
public func assess(_ rm: TextRewardModel, tokenizer: CharTokenizer, on data: PreferenceDataset, task: TextTask)
    throws -> RewardModelQuality
{
    let sequences = try TextPreferenceSequences(
        data, tokenizer: tokenizer, context: rm.config.context, function: "gold_agreement")
    let margins = scoreMargins(rm, sequences)
    return RewardModelQuality(
        accuracy: fractionPositive(margins), goldAgreement: agreement(margins, try goldMargins(data, task: task)),
        calibrationError: calibrationError(margins: margins))
}
