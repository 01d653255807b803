import Engine
import Models
import Testing

@testable import Alignment

/// A small world shared by the optimisation tests: 16-value prompts, 24 candidates, a reward model fitted on clean labels.
private func world(seed: UInt64) throws -> (VectorTask, RewardModel, PreferenceDataset, SamplingPolicy, RNG) {
    var rng = RNG(seed: seed)
    let task = try VectorTask(dim: 16, prompts: 64, candidates: 24, testPrompts: 50, seed: rng.next())
    let prefs = try collect(task: task, policy: nil, annotator: .oracle, pairs: 400, rng: &rng)
    var rm = RewardModel(input: 16, hidden: 16, rng: &rng)
    _ = try fit(&rm, on: prefs, epochs: 15, lr: 3e-3, batch: 32, rng: &rng)
    let policy = SamplingPolicy(input: 16, hidden: 16, candidates: 24, rng: &rng)
    return (task, rm, prefs, policy, rng)
}

private func series(_ m: [Metric], _ name: String) -> [Double] { m.filter { $0.name == name }.map(\.value) }

@Test(arguments: [PolicyGradientMethod.rloo, .ppo])
func policyGradientRaisesProxyAndGoldAndTheKLWeightBoundsTheDrift(method: PolicyGradientMethod) throws {
    var (task, rm, _, start, rng) = try world(seed: 1)
    var loose = start, tight = start
    let a = try optimize(
        &loose, rewardModel: rm, task: task, method: method, steps: 60, lr: 1e-2, kl: .fixed(0.01), rng: &rng)
    let b = try optimize(
        &tight, rewardModel: rm, task: task, method: method, steps: 60, lr: 1e-2, kl: .fixed(2), rng: &rng)
    #expect(series(a, "proxy").last! > series(a, "proxy").first! + 0.5)
    #expect(try task.expectedGold(loose) > task.expectedGold(start))
    #expect(series(a, "kl").first! == 0)  // the reference is the policy at the call
    #expect(series(b, "kl").last! < series(a, "kl").last!)
    #expect(series(a, "entropy").last! < series(a, "entropy").first!)
    #expect(series(a, "beta").allSatisfy { $0 == 0.01 })
}

@Test func adaptiveControllerRaisesBetaWhileKLExceedsItsTarget() throws {
    var (task, rm, _, policy, rng) = try world(seed: 2)
    let m = try optimize(
        &policy, rewardModel: rm, task: task, method: .ppo, steps: 40, lr: 2e-2,
        kl: .adaptive(initial: 0.01, target: 0.05, horizon: 200), rng: &rng)
    let beta = series(m, "beta")
    #expect(beta.last! > beta.first!)
    #expect(
        zip(beta, beta.dropFirst()).allSatisfy {
            $1 <= $0 * (1 + 0.2 * 64 / 200) + 1e-12 && $1 >= $0 * (1 - 0.2 * 64 / 200) - 1e-12
        })
}

@Test func optimizeIsBitwiseReproducible() throws {
    var (task, rm, _, p1, r1) = try world(seed: 3)
    var (_, _, _, p2, r2) = try world(seed: 3)
    let a = try optimize(&p1, rewardModel: rm, task: task, method: .ppo, steps: 10, lr: 1e-2, kl: .fixed(0.1), rng: &r1)
    let b = try optimize(&p2, rewardModel: rm, task: task, method: .ppo, steps: 10, lr: 1e-2, kl: .fixed(0.1), rng: &r2)
    #expect(a == b && p1 == p2)
}

@Test func dpoOnOraclePreferencesRaisesGoldAndStartsAtLn2() throws {
    var (task, _, prefs, policy, rng) = try world(seed: 4)
    let before = try task.expectedGold(policy)
    let m = try dpo(&policy, on: prefs, task: task, beta: 0.1, epochs: 15, lr: 1e-2, rng: &rng)
    #expect(abs(series(m, "loss").first! - 0.6931) < 0.02)  // the first batch is at the reference: exactly ln 2
    #expect(series(m, "loss").last! < 0.5)
    #expect(try task.expectedGold(policy) > before + 0.3)
}

@Test func dpoRefusesPairsThatAreNotCandidates() throws {
    var (task, _, _, policy, rng) = try world(seed: 5)
    let start = PolicyModel(input: 16, hidden: 8, output: 16, rng: &rng)
    let sampled = try collect(task: task, policy: start, annotator: .oracle, pairs: 5, rng: &rng)
    #expect(throws: AlignmentError.self) {
        _ = try dpo(&policy, on: sampled, task: task, epochs: 1, lr: 1e-2, rng: &rng)
    }
}

@Test func overoptimizationShowsGoldRisingThenFallingWhileProxyRises() throws {
    var rng = RNG(seed: 42)
    let task = try VectorTask(dim: 32, seed: rng.next())
    let start = PolicyModel(input: 32, hidden: 32, output: 32, rng: &rng)
    let prefs = try collect(task: task, policy: start, annotator: .bradleyTerry(noise: 0.05), pairs: 600, rng: &rng)
    var rm = RewardModel(input: 32, hidden: 32, rng: &rng)
    _ = try fit(&rm, on: prefs, epochs: 20, lr: 1e-3, batch: 32, rng: &rng)
    let points = try overoptimization(start, rewardModel: rm, task: task, steps: 200, every: 10, lr: 2e-3, rng: &rng)
    #expect(points.count == 21 && points[0].sqrtKL == 0)
    let peak = points.indices.max { points[$0].gold < points[$1].gold } ?? 0
    #expect(peak > 0 && peak < points.count - 1)
    #expect(points.last!.gold < points[0].gold)
    #expect(zip(points, points.dropFirst()).allSatisfy { $1.proxy > $0.proxy && $1.sqrtKL > $0.sqrtKL })
}

@Test func heldOutFitMeasuresOnPairsItNeverSaw() throws {
    var (task, _, prefs, _, rng) = try world(seed: 6)
    var rm = RewardModel(input: 16, hidden: 16, rng: &rng)
    var copy = rng
    let m = try fit(&rm, on: prefs, epochs: 5, lr: 3e-3, batch: 32, heldOut: 0.25, task: task, rng: &rng)
    let (train, test) = try split(prefs, heldOut: 0.25, rng: &copy)
    #expect(train.count == 300 && test.count == 100)
    #expect(Set(train.rows.map(\.uid)).isDisjoint(with: test.rows.map(\.uid)))
    #expect(series(m, "accuracy").last! == accuracy(rm, on: test))
    #expect(series(m, "train_accuracy").last! == accuracy(rm, on: train))
    let q = try assess(rm, on: test, task: task)
    #expect(series(m, "gold_agreement").last! == q.goldAgreement)
    #expect(q.goldAgreement == q.accuracy)  // oracle labels are the gold order
}

@Test func compareCountsWinsByTheJudge() throws {
    var (task, rm, _, start, rng) = try world(seed: 7)
    var better = start
    _ = try optimize(
        &better, rewardModel: rm, task: task, method: .rloo, steps: 60, lr: 1e-2, kl: .fixed(0.01), rng: &rng)
    let c = try compare(start, better, task: task, judge: .oracle, rng: &rng)
    let same = try compare(start, start, task: task, judge: .coin, rng: &rng)
    #expect(c.winRate > 0.6 && c.aligned.mean > c.original.mean)
    #expect(c.alignedCI.contains(c.aligned.mean) && c.original.count == 50)
    #expect(abs(same.winRate - 0.5) < 4.5 * (0.25 / 50).squareRoot())
}
