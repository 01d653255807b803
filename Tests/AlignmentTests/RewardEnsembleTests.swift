import Engine
import Models
import Testing

@testable import Alignment

@Test func ensembleOfIdenticalMembersNeverDisagrees() throws {
    var rng = RNG(seed: 1)
    let one = RewardModel(input: 6, hidden: 5, rng: &rng)
    let ensemble = RewardEnsemble(members: [one, one, one])
    let a = rng.normalTensor([4, 6]), b = rng.normalTensor([4, 6])
    #expect(ensemble.disagreement(a, b) == [0, 0, 0, 0])
    #expect(zip(ensemble.scores(a), one.scores(a)).allSatisfy { abs($0 - $1) < 1e-6 })  // (3x)/3 rounds in Float
}

@Test func disagreementIsTheStdOfMemberMargins() throws {
    var rng = RNG(seed: 2)
    let ensemble = try RewardEnsemble(members: 3, input: 5, hidden: 4, rng: &rng)
    let a = rng.normalTensor([3, 5]), b = rng.normalTensor([3, 5])
    let margins = ensemble.members.map { m in zip(m.scores(a), m.scores(b)).map { Double($0 - $1) } }
    for i in 0..<3 {
        let ms = margins.map { $0[i] }
        let mean = ms.reduce(0, +) / 3
        let std = (ms.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
        #expect(abs(ensemble.disagreement(a, b)[i] - std) < 1e-9)
        #expect(abs(ensemble.rankingUncertainty(a, b)[i] - std / (abs(mean) + 1e-6)) < 1e-6)
    }
}

@Test func uncertaintyCollectWithAPoolOfOneIsPlainCollect() throws {
    let task = try VectorTask(dim: 6, prompts: 10, candidates: 12, seed: 4)
    var r1 = RNG(seed: 9), r2 = RNG(seed: 9), r0 = RNG(seed: 3)
    let ensemble = try RewardEnsemble(members: 2, input: 6, hidden: 4, rng: &r0)
    let plain = try collect(task: task, policy: nil, annotator: .bradleyTerry(noise: 0.2), pairs: 40, rng: &r1)
    let active = try collectByUncertainty(
        task: task, policy: nil, ensemble: ensemble, annotator: .bradleyTerry(noise: 0.2),
        pairs: 40, pool: 1, rng: &r2)
    #expect(plain == active && r1 == r2)
}

@Test func uncertaintyCollectLabelsTheMostUncertainPairs() throws {
    let task = try VectorTask(dim: 6, prompts: 10, candidates: 30, seed: 5)
    var rng = RNG(seed: 6)
    let ensemble = try RewardEnsemble(members: 4, input: 6, hidden: 4, rng: &rng)
    var replay = rng
    let data = try collectByUncertainty(
        task: task, policy: nil, ensemble: ensemble, annotator: .oracle, pairs: 10, pool: 5, rng: &rng)
    // Redraw the 50-pair pool and check the 10 labelled are the 10 of highest ranking uncertainty.
    var pool: [(a: [Float], b: [Float])] = []
    for _ in 0..<50 {
        var r = RNG(seed: replay.next())
        let (_, a, b) = task.drawPair(means: nil, rng: &r)
        pool.append((a, b))
    }
    let scores = ensemble.rankingUncertainty(Tensor.stack(rows: pool.map(\.a)), Tensor.stack(rows: pool.map(\.b)))
    let threshold = scores.sorted(by: >)[9]
    let labelled = data.rows.map { row in
        ensemble.rankingUncertainty(Tensor.stack(rows: [row.chosen]), Tensor.stack(rows: [row.rejected]))[0]
    }
    #expect(data.count == 10)
    #expect(labelled.allSatisfy { $0 >= threshold - 1e-9 })
    #expect(data.rows.allSatisfy { task.gold(reading: $0.chosen[...]) >= task.gold(reading: $0.rejected[...]) })
}

@Test func ensembleFitLearnsAndMembersDiffer() throws {
    let task = try VectorTask(dim: 8, prompts: 20, candidates: 40, seed: 7)
    var rng = RNG(seed: 8)
    let prefs = try collect(task: task, policy: nil, annotator: .oracle, pairs: 300, rng: &rng)
    var ensemble = try RewardEnsemble(members: 3, input: 8, hidden: 8, rng: &rng)
    let before = try ensemble.goldAgreement(on: prefs, task: task)
    let m = try ensemble.fit(on: prefs, epochs: 10, lr: 3e-3, batch: 32, rng: &rng)
    #expect(m.filter { $0.name == "loss" }.count == 10)
    #expect(try ensemble.goldAgreement(on: prefs, task: task) > max(before, 0.8))
    #expect(ensemble.members[0] != ensemble.members[1])
    #expect(ensemble.stateDict.tensors.count == 3 * 12)
}
