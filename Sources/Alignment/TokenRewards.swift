/// TRL's `compute_rewards` for one continuation: every token is charged −β·(log π − log π_ref), its per-token KL
/// estimate against the frozen reference, and the reward model's score of the whole sequence is paid at the last
/// token, so the return of the first token is the score minus β times the sequence's KL estimate.
///
/// ```swift
/// tokenRewards(score: 1, logp: [-1, -2], referenceLogp: [-1.5, -1], beta: 0.1)  // [-0.05, 1.1]
/// ```
public func tokenRewards(score: Double, logp: [Double], referenceLogp: [Double], beta: Double) -> [Double] {
    precondition(logp.count == referenceLogp.count && !logp.isEmpty, "tokenRewards: \(logp.count) log-probabilities")
    var rewards = zip(logp, referenceLogp).map { -beta * ($0 - $1) }
    rewards[rewards.count - 1] += score
    return rewards
}
