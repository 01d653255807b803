import Engine
import Models
import Testing

@testable import Alignment

@Test(arguments: [(0.0, 1.0, 0.5), (0.05, 1.0, -2.0), (1.0, 0.3, 0.1), (0.2, -1.5, 0.5)] as [(Double, Float, Float)])
func bradleyTerryProbabilityFollowsTheFormula(noise: Double, a: Float, b: Float) throws {
    let annotator = try Annotator(bradleyTerryNoise: noise)
    let expected = noise / 2 + (1 - noise) * Double(sigmoid(a - b))
    #expect(abs(annotator.probabilityPrefers(gold: a, over: b) - expected) < 1e-12)
    #expect(Annotator.coin.probabilityPrefers(gold: a, over: b) == 0.5)
}

@Test(arguments: [-0.1, 1.5])
func bradleyTerryNoiseOutsideZeroOneIsRefused(_ noise: Double) {
    #expect(throws: AlignmentError.self) { try Annotator(bradleyTerryNoise: noise) }
}

@Test func goldRewardPeaksAtTheDocumentedOptimum() throws {
    let task = try VectorTask(dim: 16, seed: 1)
    let u = task.goldDirection
    let alpha = task.curvature
    #expect(abs(alpha - 1 / (2 * 4)) < 1e-7)
    let best = u.map { $0 / (2 * alpha) }
    #expect(abs(task.gold(reading: best[...]) - task.goldOptimum) < 1e-4)
    // Moving away from y* in any direction loses gold.
    for scale: Float in [0.5, 1.5, 3] {
        #expect(task.gold(reading: best.map { $0 * scale }[...]) < task.goldOptimum)
    }
}

@Test func collectIsDeterministicAndAppendsWithFreshUIDs() throws {
    let task = try VectorTask(dim: 8, prompts: 10, candidates: 6, seed: 3)
    var r1 = RNG(seed: 11), r2 = RNG(seed: 11)
    let a = try collect(task: task, policy: nil, annotator: .bradleyTerry(noise: 0.1), pairs: 50, rng: &r1)
    let b = try collect(task: task, policy: nil, annotator: .bradleyTerry(noise: 0.1), pairs: 50, rng: &r2)
    #expect(a == b)
    #expect(a.rows.map(\.uid) == Array(1...50))
    let more = try collect(task: task, policy: nil, annotator: .coin, pairs: 5, into: a, rng: &r1)
    #expect(more.count == 55)
    #expect(more.rows.suffix(5).map(\.uid) == Array(51...55))
    #expect(more.rows.suffix(5).allSatisfy { $0.annotator == "coin" })
    // Every row can be redrawn from its own seed: same prompt as the row's generator picks first.
    for row in a.rows {
        var r = RNG(seed: row.seed)
        #expect(r.int(below: task.promptCount) == row.prompt)
    }
}

@Test func annotatorsAgreeWithGoldAsTheirNoiseSays() throws {
    let task = try VectorTask(dim: 10, candidates: 40, seed: 5)
    var rng = RNG(seed: 8)
    func goldAgreement(_ annotator: Annotator) throws -> Double {
        let d = try collect(task: task, policy: nil, annotator: annotator, pairs: 4000, rng: &rng)
        return Double(d.rows.filter { task.gold(reading: $0.chosen[...]) > task.gold(reading: $0.rejected[...]) }.count)
            / Double(d.count)
    }
    let coin = try goldAgreement(.coin)
    let clean = try goldAgreement(.bradleyTerry(noise: 0))
    let noisy = try goldAgreement(.bradleyTerry(noise: 0.5))
    #expect(abs(coin - 0.5) < 0.03)
    #expect(clean > noisy && noisy > coin + 0.05)
}

@Test func collectRefusesAPolicyOfTheWrongShape() throws {
    let task = try VectorTask(dim: 8, seed: 1)
    var rng = RNG(seed: 1)
    let policy = PolicyModel(input: 8, hidden: 4, output: 3, rng: &rng)
    #expect(throws: AlignmentError.self) {
        _ = try collect(task: task, policy: policy, annotator: .coin, pairs: 3, rng: &rng)
    }
}

@Test func fitLearnsGoldPreferences() throws {
    let task = try VectorTask(dim: 20, seed: 2)
    var rng = RNG(seed: 4)
    let prefs = try collect(task: task, policy: nil, annotator: .bradleyTerry(noise: 0), pairs: 600, rng: &rng)
    var rm = RewardModel(input: 20, hidden: 16, rng: &rng)
    let before = accuracy(rm, on: prefs)
    let metrics = try fit(&rm, on: prefs, epochs: 15, lr: 3e-3, batch: 32, rng: &rng)
    let losses = metrics.filter { $0.name == "loss" }.map(\.value)
    let accuracies = metrics.filter { $0.name == "accuracy" }.map(\.value)
    #expect(losses.count == 15 && accuracies.count == 15)
    #expect(losses.last! < losses.first!)
    #expect(accuracies.last! > max(before, 0.75))
    #expect(rm.optimizer?.step == 15 * ((600 + 31) / 32))
    #expect(accuracies.last == accuracy(rm, on: prefs))
}

@Test func fitRefusesAnEmptyDataset() throws {
    var rng = RNG(seed: 1)
    var rm = RewardModel(input: 4, hidden: 3, rng: &rng)
    #expect(throws: AlignmentError.self) {
        _ = try fit(&rm, on: PreferenceDataset(), epochs: 1, lr: 1e-3, batch: 4, rng: &rng)
    }
}

/// The seed's Slide 6 with and without the KL penalty, measured against the hidden gold reward.
@Test func penaltyStopsRewardHacking() throws {
    var rng = RNG(seed: 42)
    let task = try VectorTask(dim: 32, seed: rng.next())
    let start = PolicyModel(input: 32, hidden: 32, output: 32, rng: &rng)
    var rm = RewardModel(input: 32, hidden: 32, rng: &rng)
    let prefs = try collect(task: task, policy: start, annotator: .bradleyTerry(noise: 0.05), pairs: 800, rng: &rng)
    _ = try fit(&rm, on: prefs, epochs: 15, lr: 1e-3, batch: 32, rng: &rng)
    let initial = try evaluate(start, task: task, rewardModel: rm)

    var hacked = start
    let h = try finetune(&hacked, rewardModel: rm, task: task, steps: 300, lr: 1e-3, kl: 0, batch: 16, rng: &rng)
    var anchored = start
    let k = try finetune(&anchored, rewardModel: rm, task: task, steps: 300, lr: 1e-3, kl: 0.3, batch: 16, rng: &rng)
    let eh = try evaluate(hacked, task: task, rewardModel: rm)
    let ek = try evaluate(anchored, task: task, rewardModel: rm)

    #expect(h.count == 300 * 4 && k.count == 300 * 4)
    // Unpenalised: the proxy runs away while gold collapses.
    #expect(eh.rmScore!.mean > 5 * max(ek.rmScore!.mean, 1))
    #expect(eh.gold.mean < initial.gold.mean)
    // Penalised: gold rises and the policy stays near its reference.
    #expect(ek.gold.mean > initial.gold.mean)
    #expect(ek.responseNorm < eh.responseNorm)
    let kl = k.filter { $0.name == "kl" }.map(\.value)
    let klHacked = h.filter { $0.name == "kl" }.map(\.value)
    #expect(kl.last! < klHacked.last!)
}

@Test func finetuneIsBitwiseReproducible() throws {
    func once() throws -> PolicyModel {
        var rng = RNG(seed: 9)
        let task = try VectorTask(dim: 6, seed: 1)
        var p = PolicyModel(input: 6, hidden: 5, output: 6, rng: &rng)
        let rm = RewardModel(input: 6, hidden: 5, rng: &rng)
        _ = try finetune(&p, rewardModel: rm, task: task, steps: 20, lr: 1e-2, kl: 0.5, batch: 4, rng: &rng)
        return p
    }
    #expect(try once() == once())
}

@Test(
    arguments: [
        ([1, 2, 3, 4], 1.75, 2.5, 3.25),
        ([5], 5, 5, 5),
        ([3, 1, 2], 1.5, 2, 2.5),
    ] as [([Double], Double, Double, Double)])
func quartilesInterpolateLinearly(values: [Double], q1: Double, median: Double, q3: Double) {
    // Expected values follow numpy.percentile's default: position q·(n−1) in the sorted sample, interpolated.
    let s = Summary(values)
    #expect(s.q1 == q1 && s.median == median && s.q3 == q3)
    #expect(s.mean == values.reduce(0, +) / Double(values.count))
    #expect(s.min == values.min() && s.max == values.max())
}

@Test func cancellationStopsTraining() throws {
    var rng = RNG(seed: 1)
    let task = try VectorTask(dim: 4, seed: 1)
    var p = PolicyModel(input: 4, hidden: 3, output: 4, rng: &rng)
    let rm = RewardModel(input: 4, hidden: 3, rng: &rng)
    let control = TrainingControl(isCancelled: { true })
    #expect(throws: AlignmentError.cancelled) {
        _ = try finetune(
            &p, rewardModel: rm, task: task, steps: 100, lr: 1e-3, kl: 0, batch: 2, rng: &rng, control: control)
    }
}
