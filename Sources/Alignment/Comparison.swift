import Engine
import Models

/// Original versus aligned policy on the task's held-out prompts (the seed's Slide 11, measured).
public struct Comparison: Sendable, Equatable {
    public var original: Summary
    public var aligned: Summary
    /// 95% normal confidence interval of each mean: mean ± 1.96·std/√n.
    public var originalCI: ClosedRange<Double>
    public var alignedCI: ClosedRange<Double>
    /// Fraction of held-out prompts on which the judge preferred the aligned response (a tie counts half; the judge
    /// draws its verdicts, so this is itself a measurement with binomial error).
    public var winRate: Double
    /// The judge's name.
    public var judge: String
}

/// A 95% normal confidence interval of a sample's mean.
public func confidenceInterval(_ s: Summary) -> ClosedRange<Double> {
    guard s.count > 0, s.mean.isFinite else { return 0...0 }
    let half = 1.96 * s.std / Double(s.count).squareRoot()
    return (s.mean - half)...(s.mean + half)
}

/// Compares two deterministic policies by the gold reward of their responses to each held-out prompt and by the
/// verdicts of `judge` on the pairs of responses.
public func compare(
    _ original: PolicyModel, _ aligned: PolicyModel, task: VectorTask, judge: Annotator,
    rng: inout RNG
) throws -> Comparison {
    try task.check(policy: original)
    try task.check(policy: aligned)
    return compare(
        responses: original(task.testPrompts), aligned(task.testPrompts), task: task, judge: judge, rng: &rng)
}

/// Compares two sampling policies: one sampled response from each per held-out prompt.
public func compare(
    _ original: SamplingPolicy, _ aligned: SamplingPolicy, task: VectorTask, judge: Annotator,
    rng: inout RNG
) throws -> Comparison {
    try task.check(samplingPolicy: original)
    try task.check(samplingPolicy: aligned)
    let (lo, la) = (original.logProbabilities(task.testPrompts), aligned.logProbabilities(task.testPrompts))
    var io: [Int] = [], ia: [Int] = []
    for i in 0..<task.testCount {
        io.append(SamplingPolicy.sample(lo, row: i, rng: &rng))
        ia.append(SamplingPolicy.sample(la, row: i, rng: &rng))
    }
    return compare(
        responses: task.candidates.gatherRows(io), task.candidates.gatherRows(ia), task: task, judge: judge, rng: &rng)
}

func compare(responses a: Tensor, _ b: Tensor, task: VectorTask, judge: Annotator, rng: inout RNG) -> Comparison {
    let (ga, gb) = (task.gold(a).map(Double.init), task.gold(b).map(Double.init))
    let dim = task.dim
    var wins = 0.0
    for i in 0..<a.rows {
        let ra = a.data[(i * dim)..<(i * dim + dim)], rb = b.data[(i * dim)..<(i * dim + dim)]
        if judge.judge(rb, ra, gold: task.gold, rng: &rng).prefersFirst { wins += 1 }
    }
    let (so, sa) = (Summary(ga), Summary(gb))
    return Comparison(
        original: so, aligned: sa, originalCI: confidenceInterval(so), alignedCI: confidenceInterval(sa),
        winRate: wins / Double(a.rows), judge: judge.name)
}
