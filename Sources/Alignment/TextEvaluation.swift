import Engine
import Models

/// A text policy measured on the task's held-out prompts: one continuation sampled per prompt, their gold, and the
/// mean over them of Σ_t log π − log π_ref, the sampled estimate of the sequence KL to the reference.
public struct TextEvaluation: Sendable, Equatable {
    /// The continuation sampled for each held-out prompt, in prompt order.
    public var continuations: [[Int]]
    /// Each continuation's hidden gold, in prompt order.
    public var golds: [Double]
    public var kl: Double
    /// Mean gold over the held-out prompts.
    public var gold: Double { golds.reduce(0, +) / Double(golds.count) }

    /// Samples one continuation (at temperature 1) per held-out prompt of `task` from `rng` and measures it.
    public init(_ policy: GPT, reference: GPT, task: TextTask, rng: inout RNG) throws {
        try checkTextPolicy("evaluate", policy, reference: reference, task: task)
        let prompts = task.testPrompts
        continuations = try sampleContinuations(policy, prompts: prompts, task: task, temperature: 1, rng: &rng)
        let batch = ContinuationBatch(prompts: prompts, continuations: continuations)
        let logp = policy.continuationScores(batch: batch, head: nil).logp
        let ref = reference.continuationScores(batch: batch, head: nil).logp
        kl = zip(logp, ref).reduce(0.0) { $0 + Double($1.0) - Double($1.1) } / Double(prompts.count)
        golds = continuations.map { task.gold(tokens: $0) }
    }
}
