import Engine
import Models

/// A text policy measured on the task's held-out prompts: one continuation sampled per prompt, their mean gold, and
/// the mean over them of Σ_t log π − log π_ref, the sampled estimate of the sequence KL to the reference.
public struct TextEvaluation: Sendable, Equatable {
    public var gold: Double
    public var kl: Double

    /// Samples one continuation (at temperature 1) per held-out prompt of `task` from `rng` and measures it.
    public init(_ policy: GPT, reference: GPT, task: TextTask, rng: inout RNG) throws {
        try checkTextPolicy("evaluate", policy, reference: reference, task: task)
        let prompts = task.testPrompts
        let continuations = try sampleContinuations(policy, prompts: prompts, task: task, temperature: 1, rng: &rng)
        let batch = ContinuationBatch(prompts: prompts, continuations: continuations)
        let logp = policy.continuationScores(batch: batch, head: nil).logp
        let ref = reference.continuationScores(batch: batch, head: nil).logp
        let n = Double(prompts.count)
        kl = zip(logp, ref).reduce(0.0) { $0 + Double($1.0) - Double($1.1) } / n
        gold = continuations.reduce(0.0) { $0 + task.gold(tokens: $1) } / n
    }
}
