import Engine
import Models

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The KL divergence of best-of-n sampling from the policy it samples: log n − (n − 1)/n (Stiennon et al. 2020,
/// appendix G; the bound Gao et al. 2022 use as the KL of best-of-n). 0 at n = 1.
public func bestOfNKL(_ n: Int) -> Double {
    precondition(n >= 1, "bestOfNKL: n \(n)")
    return log(Double(n)) - Double(n - 1) / Double(n)
}

/// Best-of-n on the task's held-out prompts: for each, `n` continuations sampled from the policy, the one the reward
/// model scores highest kept (the first on ties); the means of the kept ones' proxy (RM) and gold scores, the mean
/// gold of all samples (best-of-1 in expectation), and the analytic KL.
public struct BestOfN: Sendable, Equatable {
    public var n: Int
    public var gold: Double
    public var proxy: Double
    /// Mean gold over every sample, not just the kept ones.
    public var sampleGold: Double
    public var kl: Double { bestOfNKL(n) }
    /// The kept continuation of each held-out prompt.
    public var chosen: [[Int]]

    /// Draws, prompt after prompt, `n` continuations at `temperature` (`GPT.sample(prompt:…n:)`).
    public init(
        _ policy: GPT, reward: ([[Int]]) throws -> [Double], task: TextTask, n: Int, temperature: Float = 1,
        rng: inout RNG, control: TrainingControl = TrainingControl()
    ) throws {
        guard n >= 1 else { throw AlignmentError.invalidArgument("best_of_n needs n ≥ 1, got \(n)") }
        guard temperature > 0, temperature.isFinite else {
            throw AlignmentError.invalidArgument("best_of_n needs a temperature > 0, got \(temperature)")
        }
        try checkTextPolicy("best_of_n", policy, reference: nil, task: task)
        self.n = n
        var gold = 0.0, proxy = 0.0, sampleGold = 0.0
        chosen = []
        for (i, prompt) in task.testPrompts.enumerated() {
            try control.checkpoint(i, of: task.testPrompts.count)
            let samples = try sampleContinuations(
                policy, prompts: Array(repeating: prompt, count: n), task: task, temperature: temperature, rng: &rng)
            let scores = try scoreSequences(reward, samples.map { prompt + $0 }, function: "best_of_n")
            var best = 0
            for j in scores.indices where scores[j] > scores[best] { best = j }
            let golds = samples.map { task.gold(tokens: $0) }
            gold += golds[best]
            proxy += scores[best]
            sampleGold += golds.reduce(0, +) / Double(n)
            chosen.append(samples[best])
        }
        let count = Double(task.testPrompts.count)
        self.gold = gold / count
        self.proxy = proxy / count
        self.sampleGold = sampleGold / count
        try control.checkpoint(task.testPrompts.count, of: task.testPrompts.count)
    }
}
