import Engine
import Models

/// How `pretrain` trains: nanoGPT's loop (`train.py`) with its hyper-parameters.
public struct PretrainingSettings: Sendable, Equatable {
    /// Optimisation steps of this call.
    public var iterations: Int
    /// Windows per step, each of the model's context length.
    public var batch: Int
    /// The learning rate by the model's step count (warmup, then cosine decay).
    public var schedule: LearningRateSchedule
    /// AdamW's betas and weight decay, and the gradient-norm clip.
    public var adamW: AdamWSettings
    /// Steps between two estimates of the training and validation loss.
    public var evalEvery: Int
    /// Batches each estimate averages over.
    public var evalIters: Int

    public init(
        iterations: Int, batch: Int, schedule: LearningRateSchedule, adamW: AdamWSettings, evalEvery: Int,
        evalIters: Int
    ) {
        self.iterations = iterations
        self.batch = batch
        self.schedule = schedule
        self.adamW = adamW
        self.evalEvery = evalEvery
        self.evalIters = evalIters
    }
}

/// Pretrains a GPT on next-token prediction as nanoGPT's `train.py` does: each step draws `batch` windows at random
/// offsets into the training tokens (`get_batch`), takes one AdamW step on their mean cross-entropy with the
/// gradients clipped, at the learning rate the schedule gives for the model's step count; every `evalEvery` steps it
/// estimates the training and validation loss as the mean over `evalIters` fresh batches of each (`estimate_loss`).
///
/// Steps are counted on the model (its AdamW step), so a second call continues the schedule where the first
/// stopped, and a model saved with its optimiser state resumes bitwise. Estimates are made before the first step of
/// an untrained model, after every step whose count is a multiple of `evalEvery`, and after the last step of the call.
/// Every random draw comes from `rng`, in this order: a step's batch, then, if it is due, the estimate's batches
/// (training half first).
///
/// Returns, by the model's step count: `loss` (the loss of step s's batch, at s) and `train_loss`, `val_loss` (at the
/// number of steps taken when estimated).
public func pretrain(
    _ model: inout GPT, optimizer: inout Adam?, train: ArraySlice<Int>, validation: ArraySlice<Int>,
    settings s: PretrainingSettings, rng: inout RNG, control: TrainingControl = TrainingControl()
) throws -> [Metric] {
    let context = model.config.context
    guard s.iterations >= 1, s.batch >= 1, s.evalEvery >= 1, s.evalIters >= 1 else {
        throw AlignmentError.invalidArgument(
            "pretrain(): needs iters, batch, eval_every and eval_iters ≥ 1, got \(s.iterations), \(s.batch), "
                + "\(s.evalEvery), \(s.evalIters)")
    }
    for (name, tokens) in [("training", train), ("validation", validation)] where tokens.count <= context {
        throw AlignmentError.emptyDataset(
            "pretrain(): the corpus's \(name) half has \(tokens.count) tokens; a window of the model's context (\(context)) "
                + "needs at least \(context + 1)")
    }
    var adam = optimizer ?? Adam(shapes: GPT.parameterShapes(model.config))
    let start = adam.step
    let finite = FiniteGuard(function: "pretrain", model: "lm")
    var metrics: [Metric] = []
    metrics.reserveCapacity(min(s.iterations, 1_000_000) + 2 * (s.iterations / s.evalEvery + 2))

    func estimate(after steps: Int) throws {
        for (name, tokens) in [("train_loss", train), ("val_loss", validation)] {
            var total = 0.0
            for _ in 0..<s.evalIters {
                try control.checkpoint(steps - start, of: s.iterations)
                let (x, y) = Corpus.batch(tokens, size: s.batch, context: context, rng: &rng)
                total += Double(model.loss(tokens: x, targets: y, batch: s.batch, time: context))
            }
            metrics.append(Metric(name, step: steps, total / Double(s.evalIters)))
        }
    }

    if start == 0 { try estimate(after: 0) }
    for i in 0..<s.iterations {
        let step = start + i
        try control.checkpoint(i, of: s.iterations)
        let (x, y) = Corpus.batch(train, size: s.batch, context: context, rng: &rng)
        let (loss, _) = model.trainStep(
            inputs: x, targets: y, batch: s.batch, time: context, lr: s.schedule.rate(at: step), settings: s.adamW,
            optimizer: &adam)
        try finite.check(loss: Double(loss), at: step)
        metrics.append(Metric("loss", step: step, Double(loss)))
        if (step + 1) % s.evalEvery == 0 || i == s.iterations - 1 { try estimate(after: step + 1) }
    }
    try finite.check(model, adam, at: start + s.iterations - 1)
    optimizer = adam
    try control.checkpoint(s.iterations, of: s.iterations)
    return metrics
}

extension FiniteGuard {
    /// Checks a GPT's parameters and AdamW's moments, by their GPT-2 names.
    func check(_ model: GPT, _ optimizer: Adam, at step: Int) throws {
        for (i, name) in model.parameterNames.enumerated() {
            try check(model.parameters[i], named: name, at: step)
            try check(optimizer.m[i], named: "adam.m." + name, at: step)
            try check(optimizer.v[i], named: "adam.v." + name, at: step)
        }
    }
}
