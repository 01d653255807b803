import Engine
import Models
import Testing

@testable import Alignment

/// u(x) = (u₀ + W·x/dim) / ‖·‖, written out here in Double from the task's hidden u₀ and W, independently of the task's
/// Float code.
private func expectedDirection(_ task: VectorTask, _ x: ArraySlice<Float>) throws -> [Double] {
    let w = try #require(task.context)
    let dim = task.dim
    let x = Array(x)
    var u = (0..<dim).map { i in
        Double(task.goldDirection[i]) + (0..<dim).reduce(0.0) { $0 + Double(w[i, $1]) * Double(x[$1]) } / Double(dim)
    }
    let norm = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
    u = u.map { $0 / norm }
    return u
}

@Test func aContextualTaskDrawsTheSameWorldAndThenItsHiddenMatrix() throws {
    let plain = try VectorTask(dim: 6, prompts: 9, candidates: 5, testPrompts: 4, seed: 21)
    let contextual = try VectorTask(dim: 6, prompts: 9, candidates: 5, testPrompts: 4, contextual: true, seed: 21)
    #expect(plain.prompts == contextual.prompts)
    #expect(plain.testPrompts == contextual.testPrompts)
    #expect(plain.candidates == contextual.candidates)
    #expect(plain.goldDirection == contextual.goldDirection)
    #expect(plain.context == nil && contextual.context?.shape == [6, 6])
    #expect((plain.responseDim, contextual.responseDim) == (6, 12))
}

@Test(arguments: [false, true])
func goldFollowsThePromptsDirection(contextual: Bool) throws {
    let task = try VectorTask(dim: 5, prompts: 7, candidates: 4, testPrompts: 3, contextual: contextual, seed: 8)
    var rng = RNG(seed: 3)
    for (test, source) in [(false, task.prompts), (true, task.testPrompts)] {
        for i in 0..<source.rows {
            let u = contextual ? try expectedDirection(task, source.rowSlice(i)) : task.goldDirection.map(Double.init)
            let y = (0..<task.dim).map { _ in rng.normal() }
            let dot = zip(u, y).reduce(0.0) { $0 + $1.0 * Double($1.1) }
            let sq = y.reduce(0.0) { $0 + Double($1) * Double($1) }
            let gold = dot - Double(task.curvature) * sq
            #expect(abs(Double(task.gold(prompt: source.rowSlice(i), response: y[...])) - gold) < 1e-5)
            #expect(
                abs(Double(task.gold(responses: Tensor(shape: [1, 5], data: y), prompts: [i], test: test)[0]) - gold)
                    < 1e-5)
            // A preference row holds the prompt first when gold depends on it.
            let reading = task.reading(prompt: source.rowSlice(i), response: y)
            #expect(reading == (contextual ? Array(source.rowSlice(i)) + y : y))
            #expect(abs(Double(task.gold(reading: reading[...])) - gold) < 1e-5)
            // y* = u(x)/2α reaches the optimum for every prompt.
            let best = u.map { Float($0 / (2 * Double(task.curvature))) }
            #expect(abs(task.gold(prompt: source.rowSlice(i), response: best[...]) - task.goldOptimum) < 1e-4)
        }
    }
}

@Test func aContextualTasksBestResponseDiffersBetweenPrompts() throws {
    let task = try VectorTask(dim: 16, prompts: 40, contextual: true, seed: 4)
    let directions = (0..<task.promptCount).map { task.direction(prompt: $0, test: false) }
    var cosines: [Double] = []
    for a in 0..<directions.count {
        for b in (a + 1)..<directions.count {
            cosines.append(zip(directions[a], directions[b]).reduce(0.0) { $0 + Double($1.0) * Double($1.1) })
        }
    }
    // The shared u₀ and the prompt's part are about equally long, so two prompts' directions are neither the same
    // nor unrelated: the mean cosine sits near 1/2.
    let mean = cosines.reduce(0, +) / Double(cosines.count)
    #expect(mean > 0.3 && mean < 0.75)
    #expect(cosines.allSatisfy { $0 < 0.99 })
}

@Test func expectedGoldOfAGaussianPolicyMatchesTheMeanOverItsSamples() throws {
    let task = try VectorTask(dim: 8, prompts: 5, testPrompts: 3, noise: 0.7, contextual: true, seed: 12)
    var rng = RNG(seed: 99)
    let means = rng.normalTensor([3, 8])
    let exact = task.expectedGold(means: means, prompts: [0, 1, 2], test: true)
    for i in 0..<3 {
        let n = 40_000
        var total = 0.0
        for _ in 0..<n {
            let y = means.rowSlice(i).map { $0 + task.noise * rng.normal() }
            total += Double(task.gold(prompt: task.testPrompts.rowSlice(i), response: y[...]))
        }
        // gold's variance per sample is about ‖u‖²σ² + 2α²·dim·σ⁴·(…): a few units at most, so 40,000 samples pin the
        // mean to ±0.03.
        #expect(abs(total / Double(n) - Double(exact[i])) < 0.03)
    }
    let spread = Double(task.curvature) * 8 * 0.49
    #expect(abs(Double(task.spreadCost) - spread) < 1e-6)
    #expect(abs(Double(task.expectedGoldOptimum) - (Double(task.goldOptimum) - spread)) < 1e-6)
}

@Test func contextualFeedbackStoresThePromptAndIsJudgedByItsGold() throws {
    let task = try VectorTask(dim: 6, prompts: 12, candidates: 8, contextual: true, seed: 5)
    var rng = RNG(seed: 6)
    let policy = PolicyModel(input: 6, hidden: 8, output: 6, rng: &rng)
    for judge in [nil, policy] {
        let data = try collect(task: task, policy: judge, annotator: .oracle, pairs: 60, rng: &rng)
        #expect(data.dim == 12)
        for row in data.rows {
            #expect(Array(row.chosen.prefix(6)) == Array(task.prompts.rowSlice(row.prompt)))
            #expect(Array(row.rejected.prefix(6)) == Array(task.prompts.rowSlice(row.prompt)))
            #expect(task.gold(reading: row.chosen[...]) >= task.gold(reading: row.rejected[...]))
        }
        #expect(try goldAgreement(data, task: task) == 1)
    }
    // Pairs of candidates map back to their candidate indices through the response half of each row.
    let pairs = try collect(task: task, policy: nil, annotator: .oracle, pairs: 30, rng: &rng)
    let (chosen, rejected) = try task.candidateIndices(pairs)
    for (k, row) in pairs.rows.enumerated() {
        #expect(Array(row.chosen.suffix(6)) == Array(task.candidates.rowSlice(chosen[k])))
        #expect(Array(row.rejected.suffix(6)) == Array(task.candidates.rowSlice(rejected[k])))
        #expect(task.response(prompt: row.prompt, test: false, candidate: chosen[k]) == row.chosen)
    }
}

@Test func aRewardModelOfAContextualTaskMustReadThePromptToo() throws {
    let task = try VectorTask(dim: 6, prompts: 12, candidates: 8, contextual: true, seed: 5)
    var rng = RNG(seed: 2)
    var policy = PolicyModel(input: 6, hidden: 8, output: 6, rng: &rng)
    let narrow = RewardModel(input: 6, hidden: 8, rng: &rng)
    #expect(throws: AlignmentError.self) {
        _ = try finetune(&policy, rewardModel: narrow, task: task, steps: 1, lr: 1e-3, kl: 0, batch: 4, rng: &rng)
    }
    let data = try collect(task: task, policy: nil, annotator: .oracle, pairs: 20, rng: &rng)
    let plain = try VectorTask(dim: 6, prompts: 12, candidates: 8, seed: 5)
    #expect(throws: AlignmentError.self) { _ = try goldAgreement(data, task: plain) }
}

@Test(arguments: [false, true])
func evaluateReportsTheExpectedGoldOfTheSamples(contextual: Bool) throws {
    let task = try VectorTask(dim: 6, prompts: 12, testPrompts: 10, contextual: contextual, seed: 9)
    var rng = RNG(seed: 4)
    let policy = PolicyModel(input: 6, hidden: 8, output: 6, rng: &rng)
    let rm = RewardModel(input: task.responseDim, hidden: 8, rng: &rng)
    let e = try evaluate(policy, task: task, rewardModel: rm)
    let means = policy(task.testPrompts)
    let expected = (0..<10).map { i in
        Double(task.gold(prompt: task.testPrompts.rowSlice(i), response: means.rowSlice(i)) - task.spreadCost)
    }
    #expect(zip(e.goldSamples, expected).allSatisfy { abs($0 - $1) < 1e-5 })
    // The reward model's score is a mean over samples, not its score of the mean response.
    let atMean = rm.scores(task.readings(prompts: task.testPrompts, responses: means)).map(Double.init)
    #expect(abs(try #require(e.rmScore).mean - Summary(atMean).mean) > 1e-6)
    // The same policy scores the same every time (the samples' generator is fixed by the task).
    #expect(try evaluate(policy, task: task, rewardModel: rm) == e)
}

@Test func finetuneOnAContextualTaskLogsTheExpectedGoldOfEachBatch() throws {
    let task = try VectorTask(dim: 6, prompts: 12, candidates: 8, contextual: true, seed: 5)
    var rng = RNG(seed: 7)
    var policy = PolicyModel(input: 6, hidden: 8, output: 6, rng: &rng)
    let start = policy
    let rm = RewardModel(input: 12, hidden: 8, rng: &rng)
    var replay = rng
    let metrics = try finetune(&policy, rewardModel: rm, task: task, steps: 1, lr: 1e-3, kl: 0.1, batch: 5, rng: &rng)
    // Step 0's gold is measured before the update, on the prompts the step drew first from the generator.
    let idx = (0..<5).map { _ in replay.int(below: task.promptCount) }
    let means = start(task.prompts.gatherRows(idx))
    let gold =
        (0..<5).reduce(0.0) { total, r in
            total
                + Double(
                    task.gold(prompt: task.prompts.rowSlice(idx[r]), response: means.rowSlice(r)) - task.spreadCost)
        } / 5
    let logged = try #require(metrics.first { $0.name == "gold" && $0.step == 0 })
    #expect(abs(logged.value - gold) < 1e-5)
}
