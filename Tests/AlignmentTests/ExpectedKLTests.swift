import Engine
import Models
import Testing

@testable import Alignment

/// `expectedKL` on held-out prompts, against KL worked by hand: with the output layer's weights zero, the logits are
/// its bias whatever the prompt, so π = softmax(bias) on every prompt.
struct ExpectedKLTests {
    /// A policy over the task's three candidates whose probabilities are softmax(`logits`) on every prompt.
    private func constant(_ logits: [Float], rng: inout RNG) -> SamplingPolicy {
        var policy = SamplingPolicy(input: 4, hidden: 3, candidates: logits.count, rng: &rng)
        policy.network.layer2 = Linear(
            weight: Tensor(shape: [logits.count, 3], data: Array(repeating: 0, count: logits.count * 3)),
            bias: Tensor(shape: [1, logits.count], data: logits))
        return policy
    }

    /// ln 2 and ln 3, so that softmax(0, ln 2, ln 3) = (1, 2, 3)/6.
    private static let ln2: Float = 0.693_147_18, ln3: Float = 1.098_612_3

    private static let cases: [([Float], [Float], Double)] = [
        // π = (1, 2, 3)/6 against uniform: (1/6)·ln(1/2) + (1/3)·ln(1) + (1/2)·ln(3/2) = 0.0872080…
        ([0, ln2, ln3], [0, 0, 0], 0.087_208_0),
        // uniform against (1, 2, 3)/6: (1/3)·(ln 2 + ln 1 + ln(2/3)) = (1/3)·ln(4/3) = 0.0958940…
        ([0, 0, 0], [0, ln2, ln3], 0.095_894_0),
        // a policy against itself, and logits shifted by a constant (the same distribution)
        ([0.3, -1, 2], [0.3, -1, 2], 0),
        ([0.3, -1, 2], [1.3, 0, 3], 0),
    ]

    @Test(arguments: cases)
    func matchesHandComputedKL(policy: [Float], reference: [Float], expected: Double) throws {
        var rng = RNG(seed: 3)
        let task = try VectorTask(dim: 4, prompts: 8, candidates: 3, testPrompts: 5, seed: 9)
        let kl = try task.expectedKL(constant(policy, rng: &rng), reference: constant(reference, rng: &rng))
        #expect(abs(kl - expected) < 1e-5)
    }

    @Test func refusesAPolicyOfAnotherTask() throws {
        var rng = RNG(seed: 4)
        let task = try VectorTask(dim: 4, prompts: 8, candidates: 3, testPrompts: 5, seed: 9)
        let fits = constant([0, 0, 0], rng: &rng)
        let wider = SamplingPolicy(input: 4, hidden: 3, candidates: 5, rng: &rng)
        #expect(throws: AlignmentError.self) { try task.expectedKL(wider, reference: fits) }
        #expect(throws: AlignmentError.self) { try task.expectedKL(fits, reference: wider) }
    }
}
