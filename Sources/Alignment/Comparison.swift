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

/// Compares two Gaussian policies N(π(x), σ²I) on the held-out prompts: each prompt's gold is the exact expected gold
/// of each policy's samples (as `evaluate` reports it), and `judge` compares one sample of each.
public func compare(
    _ original: PolicyModel, _ aligned: PolicyModel, task: VectorTask, judge: Annotator,
    rng: inout RNG
) throws -> Comparison {
    try task.check(policy: original)
    try task.check(policy: aligned)
    let (mo, ma) = (original(task.testPrompts), aligned(task.testPrompts))
    let all = Array(0..<task.testCount)
    var so = [Float](), sa = [Float]()
    for i in 0..<task.testCount {
        so += mo.rowSlice(i).map { $0 + task.noise * rng.normal() }
        sa += ma.rowSlice(i).map { $0 + task.noise * rng.normal() }
    }
    return compare(
        gold: task.expectedGold(means: mo, prompts: all, test: true),
        task.expectedGold(means: ma, prompts: all, test: true),
        samples: Tensor(shape: mo.shape, data: so), Tensor(shape: ma.shape, data: sa), task: task, judge: judge,
        rng: &rng)
}

/// Compares two sampling policies: gold is that of one sampled response from each per held-out prompt, which the
/// judge compares.
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
    let (a, b) = (task.candidates.gatherRows(io), task.candidates.gatherRows(ia))
    let all = Array(0..<task.testCount)
    return compare(
        gold: task.gold(responses: a, prompts: all, test: true), task.gold(responses: b, prompts: all, test: true),
        samples: a, b, task: task, judge: judge, rng: &rng)
}

/// Summarises each side's gold per held-out prompt and has `judge` compare the two sampled responses to each prompt.
func compare(
    gold ga: [Float], _ gb: [Float], samples a: Tensor, _ b: Tensor, task: VectorTask, judge: Annotator,
    rng: inout RNG
) -> Comparison {
    var wins = 0.0
    for i in 0..<a.rows {
        let u = task.direction(prompt: i, test: true)
        if judge.judge(b.rowSlice(i), a.rowSlice(i), gold: { task.gold($0, direction: u) }, rng: &rng).prefersFirst {
            wins += 1
        }
    }
    let (so, sa) = (Summary(ga.map(Double.init)), Summary(gb.map(Double.init)))
    return Comparison(
        original: so, aligned: sa, originalCI: confidenceInterval(so), alignedCI: confidenceInterval(sa),
        winRate: wins / Double(a.rows), judge: judge.name)
}
