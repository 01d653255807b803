import Engine
import Models
import Testing

@testable import Alignment

/// Category, difficulty, reply → solved, turns, satisfaction (1.5 + 2.5·solved + 1·polite − 0.3·(turns − 1), in [1, 5]).
@Test(
    arguments: [
        (0, 0.59, 0, true, 1, 5.0),  // billing, a fix works below 0.6: polite fix, the best there is
        (0, 0.6, 0, false, 1, 2.5),  // ... and not from 0.6: polite but unsolved
        (0, 0.6, 2, true, 2, 4.7),  // asking first works below 0.9, one more turn
        (1, 0.3, 1, false, 1, 1.5),  // technical, fixable only below 0.25; curt, unsolved
        (1, 0.7, 4, true, 4, 4.1),  // past both thresholds only a human solves it, three more turns
        (1, 0.7, 5, true, 4, 3.1),  // ... curtly
        (2, 0.1, 6, false, 1, 2.5),  // deflecting never solves, however polite
        (3, 0.95, 7, false, 1, 1.5),  // curt deflection: the floor of the formula
    ] as [(Int, Float, Int, Bool, Float, Float)])
func supportOutcomesFollowTheThresholds(
    category: Int, difficulty: Float, reply: Int, solved: Bool, turns: Float, satisfaction: Float
) {
    let o = SupportTask.outcome(category: category, difficulty: difficulty, reply: reply)
    #expect(o.solved == solved && o.turns == turns)
    #expect(abs(o.satisfaction - satisfaction) < 1e-5)
    #expect(o.polite == (reply % 2 == 0) && o.appropriate == (reply % 2 == 0 && reply / 2 != 3))
}

@Test func supportResponsesFeedbackAndTheCeiling() throws {
    let task = try SupportTask(dim: 6, conversations: 30, testConversations: 40, seed: 3)
    #expect(task.responseDim == 14 && task.candidateCount == 8 && SupportTask.replies[5] == "escalate, curt")
    #expect(Array(task.response(prompt: 4, test: true, candidate: 3).suffix(8)) == [0, 0, 0, 1, 0, 0, 0, 0])
    var rng = RNG(seed: 4)
    try expectOracleFeedbackPrefersHigherGold(task, pairs: 80, rng: &rng)
    // A policy with all-zero weights picks every reply with probability 1/8: its scorecard is the plain average.
    var uniform = SamplingPolicy(input: 6, hidden: 4, candidates: 8, rng: &rng)
    uniform.network.parameters = uniform.network.parameters.map { Tensor(zeros: $0.shape) }
    let card = try task.scorecard(uniform)
    let outcomes = (0..<40).flatMap { i in (0..<8).map { task.outcome(i, test: true, reply: $0) } }
    let mean = { (f: (SupportTask.Outcome) -> Double) in outcomes.map(f).reduce(0, +) / Double(outcomes.count) }
    #expect(abs(card.satisfaction - mean { Double($0.satisfaction) }) < 1e-5)
    #expect(abs(card.resolutionRate - mean { $0.solved ? 1 : 0 }) < 1e-6)
    #expect(abs(card.appropriateness - 0.375) < 1e-6)  // three polite, non-deflecting replies of eight
    #expect(abs(card.turns - 2) < 1e-5)  // (1 + 2 + 4 + 1) / 4
    let best = task.optimalScorecard()
    #expect(best.resolutionRate == 1 && best.appropriateness == 1 && best.satisfaction > card.satisfaction)
    #expect(
        abs(
            best.satisfaction - (0..<40).map { i in
                Double((0..<8).map { task.gold(prompt: i, test: true, candidate: $0) }.max() ?? 0)
            }.reduce(0, +) / 40) < 1e-5)
}

@Test func ppoOnSupportFeedbackRaisesSatisfactionAndResolution() throws {
    var rng = RNG(seed: 10)
    let task = try SupportTask(dim: 12, conversations: 300, testConversations: 300, seed: rng.next())
    let (start, aligned) = try alignedByPPO(task, pairs: 1500, steps: 150, rng: &rng)
    let (before, after) = (try task.scorecard(start), try task.scorecard(aligned))
    #expect(after.satisfaction > before.satisfaction + 0.5)
    #expect(after.resolutionRate > before.resolutionRate + 0.2)
    #expect(after.satisfaction <= task.optimalScorecard().satisfaction)
}
