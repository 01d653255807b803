import Engine
import Models

/// One point of an over-optimisation sweep.
public struct OveroptimizationPoint: Sendable, Equatable {
    public var steps: Int
    /// √KL(π ‖ π_start), averaged over the held-out prompts, for Gaussian policies of spread σ: ‖π(x) − π₀(x)‖ / (√2·σ).
    public var sqrtKL: Double
    /// Mean RM score (proxy reward) of the Gaussian policy's samples and their expected gold reward, over the held-out
    /// prompts (as `evaluate` measures them).
    public var proxy: Double
    public var gold: Double
}

/// Gao et al. (2022)'s over-optimisation measurement: maximises the reward model with no penalty for `steps` steps and
/// measures proxy and gold reward against √KL to the starting policy every `every` steps (and at step 0).
public func overoptimization(
    _ start: PolicyModel, rewardModel rm: RewardModel, task: VectorTask, steps: Int, every: Int,
    lr: Double, batch: Int = 16, rng: inout RNG,
    control: TrainingControl = TrainingControl()
) throws -> [OveroptimizationPoint] {
    guard every >= 1, steps >= every else {
        throw AlignmentError.invalidArgument(
            "overoptimization needs 1 ≤ every ≤ steps, got every \(every) and steps \(steps)")
    }
    try task.check(policy: start)
    try task.check(rewardModel: rm)
    let y0 = start(task.testPrompts)
    func measure(_ p: PolicyModel, _ step: Int) -> OveroptimizationPoint {
        let y = p(task.testPrompts)
        var kl = 0.0
        for i in 0..<y.count { kl += Double((y.data[i] - y0.data[i]) * (y.data[i] - y0.data[i])) }
        kl /= 2 * Double(task.noise) * Double(task.noise) * Double(y.rows)
        let all = Array(0..<task.testCount)
        return OveroptimizationPoint(
            steps: step, sqrtKL: kl.squareRoot(),
            proxy: Summary(task.expectedScores(rm, means: y, prompts: all, test: true).map(Double.init)).mean,
            gold: Summary(task.expectedGold(means: y, prompts: all, test: true).map(Double.init)).mean)
    }
    var policy = start
    var points = [measure(policy, 0)]
    var done = 0
    while done < steps {
        let n = min(every, steps - done)
        _ = try finetune(
            &policy, rewardModel: rm, task: task, steps: n, lr: lr, kl: 0, batch: batch, reference: start,
            rng: &rng, control: control)
        done += n
        points.append(measure(policy, done))
    }
    return points
}
