import Engine
import Models

/// What every text policy-optimisation call checks before it samples: the policy reads the task's vocabulary, a whole
/// prompt + continuation fits its context, and the reference is the same architecture.
func checkTextPolicy(_ function: String, _ policy: GPT, reference: GPT?, task: TextTask) throws {
    let c = policy.config
    guard task.tokenizer.count == c.vocab else {
        throw AlignmentError.shapeMismatch(
            "\(function): the task's vocabulary has \(task.tokenizer.count) characters, the policy's \(c.vocab)")
    }
    guard task.promptLength + task.continuation <= c.context else {
        throw AlignmentError.shapeMismatch(
            "\(function): prompt \(task.promptLength) + continuation \(task.continuation) tokens exceed the policy's "
                + "context \(c.context)")
    }
    if let reference, reference.config != c {
        throw AlignmentError.shapeMismatch("\(function): the reference's sizes differ from the policy's")
    }
}

/// Samples one continuation of the task's length per prompt, as a rollout does.
func sampleContinuations(_ policy: GPT, prompts: [[Int]], task: TextTask, temperature: Float, rng: inout RNG) throws
    -> [[Int]]
{
    do {
        return try policy.sample(prompts: prompts, tokens: task.continuation, temperature: temperature, rng: &rng)
    } catch {
        throw AlignmentError.invalidArgument("sampling failed: \(error)")
    }
}

/// Calls the reward model on whole sequences and checks it answered one finite score per sequence.
func scoreSequences(_ reward: ([[Int]]) throws -> [Double], _ sequences: [[Int]], function: String) throws -> [Double] {
    let scores = try reward(sequences)
    guard scores.count == sequences.count else {
        throw AlignmentError.shapeMismatch(
            "\(function): the reward model gave \(scores.count) scores for \(sequences.count) sequences")
    }
    if let bad = scores.first(where: { !$0.isFinite }) {
        throw AlignmentError.nonFinite("\(function): the reward model scored a sequence \(bad)")
    }
    return scores
}
