import Language

/// The valid ranges the lab's numeric parameters share, named once; each parameter declares its own
/// (`Param.labelled("lr", .number, default: 1e-3, in: learningRate)`), and binding refuses a value outside it, so
/// `finetune(p, rm, task, lr: inf)` is refused at the argument instead of training a model full of NaN.
extension LabBuiltins {
    /// Learning rates: above 0; beyond 100, Adam steps are larger than any weight this lab trains.
    static let learningRate = ValidRange.number(above: 0, atMost: 100)
    /// Optimisation steps of one call (each logs several metric points, so more would exhaust memory).
    static let steps = ValidRange.integer(1...1_000_000)
    static let epochs = ValidRange.integer(1...100_000)
    static let rows = ValidRange.integer(1...maxRows)
    /// Held-out sets: `evaluate`, `compare` and the scorecards pass over all of them in one go, with no check point
    /// inside, so their size bounds how long Ctrl-C may wait (about a second at this limit in a release build).
    static let testRows = ValidRange.integer(1...1_000_000)
    static let dimension = ValidRange.integer(1...maxDimension)
    /// A task's dimension: at least two, so its directions are not degenerate.
    /// A fraction kept out of training: 0 (none) up to, not including, 1.
    static let fraction = ValidRange.number(from: 0, to: 1, includingUpper: false)
    static let taskDimension = ValidRange.integer(2...maxDimension)
    /// A penalty weight (KL β, DPO β): finite; 1e6 already freezes the policy.
    static let weight = ValidRange.number(from: 0, to: 1e6)
    /// Noise of a task's gold reward or responses: far beyond 1000 the task is pure noise and Float overflows.
    static let noise = ValidRange.number(from: 0, to: 1000)
}
