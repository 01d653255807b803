import Engine
import Models

/// Distribution summary of a sample: mean, standard deviation and quartiles (linear interpolation, as numpy's default).
public struct Summary: Sendable, Equatable {
    public var count: Int
    public var mean: Double
    public var std: Double
    public var min: Double
    public var q1: Double
    public var median: Double
    public var q3: Double
    public var max: Double

    public init(_ values: [Double]) {
        let s = values.sorted()
        count = s.count
        guard !s.isEmpty else {
            (mean, std, min, q1, median, q3, max) = (.nan, .nan, .nan, .nan, .nan, .nan, .nan)
            return
        }
        let m = s.reduce(0, +) / Double(s.count)
        mean = m
        std = (s.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(s.count)).squareRoot()
        min = s[0]
        max = s[s.count - 1]
        func quantile(_ q: Double) -> Double {
            let pos = q * Double(s.count - 1)
            let lo = Int(pos)
            let hi = Swift.min(lo + 1, s.count - 1)
            return s[lo] + (s[hi] - s[lo]) * (pos - Double(lo))
        }
        q1 = quantile(0.25)
        median = quantile(0.5)
        q3 = quantile(0.75)
    }
}

/// What a policy's responses to the held-out test prompts are worth.
public struct Evaluation: Sendable, Equatable {
    /// Expected gold reward of the policy's samples to each prompt, summarised.
    public var gold: Summary
    /// The reward model's mean score of the policy's samples to each prompt, when a reward model was given.
    public var rmScore: Summary?
    /// Mean distance ‖π(x)‖ of the policy's mean responses from the origin (how far the policy has run).
    public var responseNorm: Double
    /// Expected gold reward per prompt, in test-prompt order (what a box plot draws).
    public var goldSamples: [Double] = []
}

/// Scores the Gaussian policy N(π(x), σ²I) on the task's held-out test prompts (the seed's Slide 11, measured instead
/// of drawn from `uniform(2, 4)`): gold is the exact expected gold of its samples, the reward model's score the mean
/// over samples drawn from a generator fixed by the task (`VectorTask.expectedScores`).
public func evaluate(_ policy: PolicyModel, task: VectorTask, rewardModel rm: RewardModel? = nil) throws -> Evaluation {
    try task.check(policy: policy)
    if let rm { try task.check(rewardModel: rm) }
    let y = policy(task.testPrompts)  // [testCount, dim], the means
    let all = Array(0..<task.testCount)
    let gold = task.expectedGold(means: y, prompts: all, test: true).map(Double.init)
    let norms = (0..<y.rows).map { i in Double(y.row(i).data.reduce(0) { $0 + $1 * $1 }.squareRoot()) }
    return Evaluation(
        gold: Summary(gold),
        rmScore: rm.map { Summary(task.expectedScores($0, means: y, prompts: all, test: true).map(Double.init)) },
        responseNorm: norms.reduce(0, +) / Double(norms.count),
        goldSamples: gold)
}
