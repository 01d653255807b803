import Engine
import Models
import Testing

@testable import Alignment

/// Training stops with a message naming the loss or tensor and the step as soon as either is NaN or infinite, so a
/// blown-up model is never handed back.
@Suite struct FiniteGuardTests {
    /// A task whose noise is so small that the KL term's scale 1/(2σ²) overflows Float: the loss is NaN at once.
    @Test func finetuneOnATaskWithVanishingNoiseStopsAtStepZero() throws {
        let task = try VectorTask(dim: 4, prompts: 8, candidates: 4, testPrompts: 4, noise: 1e-30, seed: 1)
        var rng = RNG(seed: 2)
        var policy = PolicyModel(input: 4, hidden: 4, output: 4, rng: &rng)
        let rm = RewardModel(input: 4, hidden: 4, rng: &rng)
        let before = policy
        #expect(throws: AlignmentError.nonFinite("finetune(): the loss became NaN at step 0")) {
            _ = try finetune(&policy, rewardModel: rm, task: task, steps: 10, lr: 1e-3, kl: 0.1, batch: 4, rng: &rng)
        }
        #expect(policy == before)
    }

    /// A reward model whose scores overflow (weights near Float's maximum): the Bradley–Terry loss is NaN.
    @Test func fitWithOverflowingScoresStopsAtEpochZero() throws {
        let task = try VectorTask(dim: 4, prompts: 8, candidates: 4, testPrompts: 4, seed: 1)
        var rng = RNG(seed: 3)
        let prefs = try collect(task: task, policy: nil, annotator: .oracle, pairs: 16, rng: &rng)
        var rm = RewardModel(input: 4, hidden: 4, rng: &rng)
        rm.network.layer2.weight = Tensor(shape: [1, 4], data: [Float](repeating: 3e38, count: 4))
        rm.network.layer1.weight = Tensor(shape: [4, 4], data: [Float](repeating: 3e38, count: 16))
        #expect(throws: AlignmentError.nonFinite("fit(): the loss became NaN at epoch 0")) {
            _ = try fit(&rm, on: prefs, epochs: 3, lr: 1e-3, batch: 4, rng: &rng)
        }
    }

    @Test(arguments: [(Float.nan, "NaN"), (Float.infinity, "inf"), (-Float.infinity, "-inf")])
    func aNonFiniteWeightIsNamedWithItsStep(_ bad: Float, _ shown: String) throws {
        var rng = RNG(seed: 4)
        var policy = PolicyModel(input: 3, hidden: 5, output: 2, rng: &rng)
        policy.network.layer2.weight.data[7] = bad
        let guardian = FiniteGuard(function: "finetune", model: "policy")
        #expect(
            throws: AlignmentError.nonFinite("finetune(): policy layer2.weight became \(shown) at step 37; lower lr?")
        ) {
            try guardian.check(policy.network, at: 37)
        }
        #expect(Tensor(shape: [2], data: [1, bad]).firstNonFinite.map { $0.isNaN ? "NaN" : "\($0)" } != nil)
        #expect(Tensor(shape: [3], data: [1, -2, 3e38]).firstNonFinite == nil)
    }
}
