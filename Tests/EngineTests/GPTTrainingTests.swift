import Testing

@testable import Engine
@testable import Models

/// Training learns, and the pieces of a training step do what nanoGPT's do.
struct GPTTrainingTests {
    /// A few hundred steps on a short repeating text drive the loss near zero: every window of it is predictable.
    @Test func trainingOnARepeatingTextDrivesTheLossNearZero() throws {
        let text = String(repeating: "to be or not to be, ", count: 20)
        let tokenizer = CharTokenizer(corpus: text)
        let ids = try tokenizer.encode(text)
        let config = GPTConfig(vocab: tokenizer.count, layers: 2, heads: 2, dim: 32, context: 16)
        var rng = RNG(seed: 3)
        var gpt = GPT(config: config, rng: &rng)
        var adam = Adam(shapes: GPT.parameterShapes(config))
        let (batch, time) = (4, 16)
        func window() -> (inputs: [Int], targets: [Int]) {
            var inputs: [Int] = [], targets: [Int] = []
            for _ in 0..<batch {
                let start = rng.int(below: ids.count - time - 1)
                inputs += ids[start..<(start + time)]
                targets += ids[(start + 1)...(start + time)]
            }
            return (inputs, targets)
        }
        let schedule = LearningRateSchedule(maxRate: 1e-2, minRate: 1e-3, warmup: 10, decayIterations: 300)
        var first: Float = 0
        for it in 0..<300 {
            let (inputs, targets) = window()
            let step = gpt.trainStep(
                inputs: inputs, targets: targets, batch: batch, time: time, lr: schedule.rate(at: it),
                settings: AdamWSettings(), optimizer: &adam)
            if it == 0 { first = step.loss }
        }
        let (inputs, targets) = window()
        let last = gpt.loss(tokens: inputs, targets: targets, batch: batch, time: time)
        #expect(first > 2, "an untrained model starts near log(vocab)")
        #expect(last < 0.1, "loss after 300 steps: \(last)")
    }

    /// nanoGPT's `get_lr` with learning_rate 1e-3, min_lr 1e-4, warmup_iters 100, lr_decay_iters 2000, worked by hand.
    static let scheduleCases: [(it: Int, rate: Double)] = [
        (0, 1e-3 / 101),
        (99, 1e-3 * 100 / 101),
        (100, 1e-3),  // cos 0 = 1
        (1050, 1e-4 + 0.5 * 9e-4),  // halfway: cos(π/2) = 0
        (2000, 1e-4),  // cos π = −1
        (2001, 1e-4),
    ]

    @Test(arguments: scheduleCases)
    func learningRateScheduleIsNanoGPTs(it: Int, rate: Double) {
        let schedule = LearningRateSchedule(maxRate: 1e-3, minRate: 1e-4, warmup: 100, decayIterations: 2000)
        #expect(abs(Double(schedule.rate(at: it)) - rate) <= 1e-7 * rate)
    }

    /// The global norm of ([3], [4]) is 5; clipped to 1 each gradient scales by 1/(5 + 10⁻⁶); below the bound, none
    /// is touched.
    @Test func clippingScalesByTheGlobalNorm() {
        var g = [Tensor(shape: [1], data: [3]), Tensor(shape: [1, 1], data: [4])]
        #expect(clipGradientNorm(&g, maxNorm: 1) == 5)
        #expect(abs(g[0].data[0] - 0.6) < 1e-6 && abs(g[1].data[0] - 0.8) < 1e-6)
        var small = [Tensor(shape: [2], data: [0.3, 0.4])]
        #expect(abs(clipGradientNorm(&small, maxNorm: 1) - 0.5) < 1e-7)
        #expect(small[0].data == [0.3, 0.4])
    }

    /// With zero gradients, AdamW moves a decayed parameter only by the decay, p·(1 − lr·wd), and leaves the others.
    @Test func weightDecayAppliesOnlyToDecayedParameters() {
        var adam = Adam(shapes: [[2, 1], [2]])
        var p = [Tensor(shape: [2, 1], data: [2, -4]), Tensor(shape: [2], data: [2, -4])]
        let zero = [Tensor(zeros: [2, 1]), Tensor(zeros: [2])]
        adam.updateAdamW(
            &p, gradients: zero, lr: 0.1, settings: AdamWSettings(weightDecay: 0.5),
            decayed: p.map { GPT.isDecayed(shape: $0.shape) })
        #expect(p[0].data == [2 * 0.95, -4 * 0.95])
        #expect(p[1].data == [2, -4])
    }
}
