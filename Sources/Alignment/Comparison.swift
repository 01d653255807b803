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
public func compare(_ original: PolicyModel, _ aligned: PolicyModel, task: VectorTask, judge: Annotator,
                    rng: inout RNG) throws -> Comparison {
    try task.check(policy: original)
    try task.check(policy: aligned)
    return compare(responses: original(task.testPrompts), aligned(task.testPrompts), task: task, judge: judge, rng: &rng)
}

/// Compares two sampling policies: one sampled response from each per held-out prompt.
public func compare(_ original: SamplingPolicy, _ aligned: SamplingPolicy, task: VectorTask, judge: Annotator,
                    rng: inout RNG) throws -> Comparison {
    try task.check(samplingPolicy: original)
    try task.check(samplingPolicy: aligned)
    let (lo, la) = (original.logProbabilities(task.testPrompts), aligned.logProbabilities(task.testPrompts))
    var io: [Int] = [], ia: [Int] = []
    for i in 0..<task.testCount {
        io.append(SamplingPolicy.sample(lo, row: i, rng: &rng))
        ia.append(SamplingPolicy.sample(la, row: i, rng: &rng))
    }
    return compare(responses: task.candidates.gatherRows(io), task.candidates.gatherRows(ia), task: task, judge: judge, rng: &rng)
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
    return Comparison(original: so, aligned: sa, originalCI: confidenceInterval(so), alignedCI: confidenceInterval(sa),
                      winRate: wins / Double(a.rows), judge: judge.name)
}

/// One point of an over-optimisation sweep.
public struct OveroptimizationPoint: Sendable, Equatable {
    public var steps: Int
    /// √KL(π ‖ π_start), averaged over the held-out prompts, for Gaussian policies of spread σ: ‖π(x) − π₀(x)‖ / (√2·σ).
    public var sqrtKL: Double
    /// Mean RM score (proxy reward) and gold reward of the responses to the held-out prompts.
    public var proxy: Double
    public var gold: Double
}

/// Gao et al. (2022)'s over-optimisation measurement: maximises the reward model with no penalty for `steps` steps and
/// measures proxy and gold reward against √KL to the starting policy every `every` steps (and at step 0).
public func overoptimization(_ start: PolicyModel, rewardModel rm: RewardModel, task: VectorTask, steps: Int, every: Int,
                             lr: Double, batch: Int = 16, rng: inout RNG,
                             control: TrainingControl = TrainingControl()) throws -> [OveroptimizationPoint] {
    guard every >= 1, steps >= every else {
        throw AlignmentError.invalidArgument("overoptimization needs 1 ≤ every ≤ steps, got every \(every) and steps \(steps)")
    }
    try task.check(policy: start)
    try task.check(rewardModel: rm)
    let y0 = start(task.testPrompts)
    func measure(_ p: PolicyModel, _ step: Int) -> OveroptimizationPoint {
        let y = p(task.testPrompts)
        var kl = 0.0
        for i in 0..<y.count { kl += Double((y.data[i] - y0.data[i]) * (y.data[i] - y0.data[i])) }
        kl /= 2 * Double(task.noise) * Double(task.noise) * Double(y.rows)
        return OveroptimizationPoint(steps: step, sqrtKL: kl.squareRoot(), proxy: Summary(rm.scores(y).map(Double.init)).mean,
                                     gold: Summary(task.gold(y).map(Double.init)).mean)
    }
    var policy = start
    var points = [measure(policy, 0)]
    var done = 0
    while done < steps {
        let n = min(every, steps - done)
        _ = try finetune(&policy, rewardModel: rm, task: task, steps: n, lr: lr, kl: 0, batch: batch, reference: start,
                         rng: &rng, control: control)
        done += n
        points.append(measure(policy, done))
    }
    return points
}
