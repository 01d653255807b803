import Engine
import Models
import Testing

@testable import Alignment

@Test(
    arguments: [
        (0, 0.1, 0), (0, 0.2, 1), (0, 0.49, 1), (0, 0.5, 2),  // hate speech: label from 0.2, remove from 0.5
        (1, 0.79, 1), (1, 0.8, 2),  // misinformation: remove only from 0.8
        (2, 0.39, 0), (2, 0.4, 2),  // spam: never labelled, removed from 0.4
        (3, 0.05, 0), (3, 0.1, 1), (4, 0.45, 2),
    ] as [(Int, Float, Int)])
func goldModerationPolicyFollowsTheThresholds(category: Int, severity: Float, action: Int) {
    #expect(ModerationTask.goldAction(category: category, severity: severity) == action)
}

@Test func moderationResponsesAndGoldRewards() throws {
    let task = try ModerationTask(dim: 6, items: 20, testItems: 20, seed: 1)
    #expect(task.responseDim == 9 && task.candidateCount == 3)
    for i in 0..<20 {
        let g = (0..<3).map { task.gold(prompt: i, test: false, candidate: $0) }
        let best = task.goldAction(i, test: false)
        #expect(g[best] == 0)
        #expect((0..<3).allSatisfy { g[$0] == -Float(abs($0 - best)) })
        #expect(Array(task.response(prompt: i, test: false, candidate: 2).suffix(3)) == [0, 0, 1])
    }
    var rng = RNG(seed: 2)
    try expectOracleFeedbackPrefersHigherGold(task, pairs: 50, rng: &rng)
}

/// The RLHF loop on a candidate task: noisy feedback, a reward model fitted to it, and a fresh sampling policy
/// (hidden 24) aligned to that model by PPO with a fixed KL penalty of 0.05. Returns the policy before and after.
func alignedByPPO(
    _ task: some CandidateTask, pairs: Int, steps: Int,
    rng: inout RNG
) throws -> (start: SamplingPolicy, aligned: SamplingPolicy) {
    let prefs = try collect(candidates: task, annotator: .bradleyTerry(noise: 0.1), pairs: pairs, rng: &rng)
    var rm = RewardModel(input: task.responseDim, hidden: 24, rng: &rng)
    _ = try fit(&rm, on: prefs, epochs: 20, lr: 3e-3, batch: 32, rng: &rng)
    let start = SamplingPolicy(input: task.promptDim, hidden: 24, candidates: task.candidateCount, rng: &rng)
    var aligned = start
    _ = try optimize(
        &aligned, rewardModel: rm, task: task, method: .ppo, steps: steps, lr: 1e-2, kl: .fixed(0.05), batch: 32,
        rng: &rng)
    return (start, aligned)
}

/// Oracle feedback over a task's candidates: two different candidates per row, the chosen one never worse by gold.
func expectOracleFeedbackPrefersHigherGold(_ task: some CandidateTask, pairs: Int, rng: inout RNG) throws {
    let prefs = try collect(candidates: task, annotator: .oracle, pairs: pairs, rng: &rng)
    let (c, r) = try task.candidateIndices(prefs)
    #expect(prefs.count == pairs)
    for (k, row) in prefs.rows.enumerated() {
        #expect(c[k] != r[k])
        #expect(
            task.gold(prompt: row.prompt, test: false, candidate: c[k])
                >= task.gold(prompt: row.prompt, test: false, candidate: r[k]))
    }
}

@Test func ppoOnModerationFeedbackRaisesGoldAndAccuracy() throws {
    var rng = RNG(seed: 9)
    let task = try ModerationTask(dim: 12, items: 300, testItems: 300, seed: rng.next())
    let (start, aligned) = try alignedByPPO(task, pairs: 1000, steps: 100, rng: &rng)
    #expect(try task.expectedGold(aligned) > task.expectedGold(start) + 0.2)
    let (before, after) = (try task.categoryAccuracy(start), try task.categoryAccuracy(aligned))
    #expect(before.count == 5 && after.reduce(0, +) > before.reduce(0, +) + 0.5)
}
