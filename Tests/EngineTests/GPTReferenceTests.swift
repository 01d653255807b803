import Foundation
import Testing

@testable import Engine
@testable import Models

/// A tiny GPT-2 checked against PyTorch: its logits, loss, gradients and four AdamW steps with clipping and nanoGPT's
/// learning-rate schedule. The expected numbers were printed by `Fixtures/gpt_reference.py` (torch 2.x, CPU), which
/// builds the same model from the same formula; they are pasted below as it printed them.
struct GPTReferenceTests {
    static let logits: [Float] = [
        0.535309553, 1.33163106, 1.53022563, 1.04195058, 0.0859768838, -0.908588946, -1.49531817, -0.0664791763,
        0.991060019, 1.60374403, 1.49655807, 0.71761483, -0.383442879, -1.31238532, 0.694605112, 1.3975091,
        1.47311568, 0.887487411, -0.0965057611, -1.03718054, -1.51229799, 0.682572365, 1.39298296, 1.47812784,
        0.899787903, -0.0824380815, -1.02766037, -1.51159847, 0.564999878, 1.34483886, 1.52102232, 1.01446712,
        0.0525498986, -0.932955265, -1.49968648, 0.625805795, 1.37059665, 1.50017011, 0.956364989, -0.0167221427,
        -0.982303143, -1.50695956, -0.497554719, 0.675949275, 1.54604113, 1.72216415, 1.12526238, 0.0232661664,
        -1.08917356, 0.728233337, 1.40973425, 1.45845044, 0.852514386, -0.136088252, -1.06360519, -1.51370358,
        0.658882082, 1.38384414, 1.48764253, 0.923685312, -0.054884851, -1.00881886, -1.50992608, 0.822214961,
        1.44031918, 1.41190982, 0.749739051, -0.248965785, -1.13591778, -1.51299238,
    ]
    static let gradientNorms: [Float] = [
        2.88296223, 1.75889218, 0.108151056, 0.00587065378, 0.229269654, 0.00464645401, 0.63536793, 0.606396854,
        0.104953796, 0.0619538017, 0.136155084, 0.0307717733, 0.0650448576, 0.0610054284, 0.0178649202, 0.0263056736,
        0.0341595374, 0.0217029937, 0.0419693962, 0.0497420616, 0.0341112539, 0.0136642773, 0.0481897555,
        0.00740814442, 0.0265750028, 0.0245523769, 0.324948043, 0.26161176,
    ]
    static let losses: [Float] = [
        2.36870813, 2.19595718, 2.06609654, 1.93628442, 1.89370787,
    ]
    static let norms: [Float] = [
        3.53116775, 3.2128098, 3.27670193, 7.04592705,
    ]
    static let rates: [Float] = [
        0.005, 0.01, 0.0055, 0.001,
    ]
    static let parameterSums: [Float] = [
        10.4939728, 7.56514359, 7.78438282, 1.55967009, 35.823967, 4.4968791, 12.1843023, 1.6005528, 8.23235703,
        1.43666518, 49.1583061, 6.16372681, 48.9125252, 1.45858622, 8.21135998, 1.57533336, 36.7069893, 4.48382616,
        12.3401756, 1.57732272, 7.82586765, 1.45363998, 49.1329651, 6.17299223, 49.6676445, 1.51310384, 7.59903622,
        1.63177717,
    ]
    /// The same run's parameter sums in float64: how far PyTorch's own float32 run is from exact arithmetic.
    static let parameterSums64: [Float] = [
        10.493972, 7.56514368, 7.78438327, 1.55967091, 35.8239685, 4.49649019, 12.1843022, 1.60055274, 8.23235644,
        1.43666527, 49.1583071, 6.16372712, 48.9125241, 1.45858618, 8.21135981, 1.57533325, 36.7069849, 4.4834802,
        12.3401763, 1.57732278, 7.82586814, 1.45364045, 49.1329673, 6.17299213, 49.6676428, 1.51310387, 7.59903599,
        1.6317773,
    ]
    static let firstEntries: [Float] = [
        0.122667335, 0.271032244, 0.994206846, -0.302170634, -0.143488854, 0.175765291, 0.274270505, -0.0659194887,
        0.716264844, -0.0952752531, 0.255908608, 0.251163006, -0.10052339, -0.284882188, 0.949831605, 0.283319116,
        0.176235676, -0.158793151, -0.269582629, 0.0311500169, 1.29665065, 0.136377022, -0.23679854, -0.240560353,
        0.101567551, 0.280988306, 1.05600655, -0.237942487,
    ]

    static let config = GPTConfig(vocab: 7, layers: 2, heads: 2, dim: 8, context: 5)
    static let (batch, time) = (2, 5)
    static let tokens = (0..<10).map { (3 * $0 + 1) % 7 }
    static let targets = (0..<10).map { (5 * $0 + 2) % 7 }

    /// Parameter k's entry i: 0.3·sin(0.7·i + 1.3·k + 0.5), plus 1 for a norm's weight (the script's `value`).
    static var model: GPT {
        let names = GPT.parameterNames(layers: config.layers)
        let parameters = zip(names, GPT.parameterShapes(config)).enumerated().map { k, entry in
            let isNormWeight =
                entry.0.hasSuffix("ln_1.weight") || entry.0.hasSuffix("ln_2.weight")
                || entry.0.hasSuffix("ln_f.weight")
            let count = entry.1.reduce(1, *)
            return Tensor(
                shape: entry.1,
                data: (0..<count).map { i in
                    Float(0.3 * sin(0.7 * Double(i) + 1.3 * Double(k) + 0.5) + (isNormWeight ? 1 : 0))
                })
        }
        return GPT(config: config, parameters: parameters)
    }

    /// |got − want| ≤ 10⁻⁵·max(|want|, 0.1): relative, with a floor for entries near zero.
    static func expectClose(_ got: [Float], _ want: [Float], _ what: String) {
        #expect(got.count == want.count, "\(what): \(got.count) values, expected \(want.count)")
        for (i, (g, w)) in zip(got, want).enumerated() {
            #expect(abs(g - w) <= 1e-5 * max(abs(w), 0.1), "\(what)[\(i)]: \(g), PyTorch \(w)")
        }
    }

    @Test func logitsLossAndGradientsMatchPyTorch() {
        let gpt = Self.model
        let tape = Tape()
        let p = gpt.parameters.map { tape.leaf($0) }
        let logits = gpt.forward(on: tape, parameters: p, tokens: Self.tokens, batch: Self.batch, time: Self.time)
        let loss = tape.crossEntropy(logits, targets: Self.targets)
        Self.expectClose(tape.value(logits).data, Self.logits, "logits")
        Self.expectClose([tape.value(loss).data[0]], [Self.losses[0]], "loss")
        let g = tape.backward(loss)
        let norms = p.map { v in Float((g[v]?.data ?? []).reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()) }
        Self.expectClose(norms, Self.gradientNorms, "gradient norms")
    }

    @Test func adamWStepsWithClippingAndTheScheduleMatchPyTorch() {
        var gpt = Self.model
        var adam = Adam(shapes: GPT.parameterShapes(Self.config))
        let schedule = LearningRateSchedule(maxRate: 1e-2, minRate: 1e-3, warmup: 1, decayIterations: 3)
        var (losses, norms, rates): ([Float], [Float], [Float]) = ([], [], [])
        for it in 0..<4 {
            let lr = schedule.rate(at: it)
            let step = gpt.trainStep(
                inputs: Self.tokens, targets: Self.targets, batch: Self.batch, time: Self.time, lr: lr,
                settings: AdamWSettings(beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0.1, clip: 1),
                optimizer: &adam)
            losses.append(step.loss)
            norms.append(step.gradNorm)
            rates.append(lr)
        }
        losses.append(gpt.loss(tokens: Self.tokens, targets: Self.targets, batch: Self.batch, time: Self.time))
        #expect(rates == Self.rates)
        Self.expectClose(losses, Self.losses, "losses")
        Self.expectClose(norms, Self.norms, "gradient norms")
        // Each sum within 10⁻⁵ relative, or within twice PyTorch's own float32 error where that is larger (the
        // attention output biases, whose gradients nearly cancel, so their Adam steps follow rounding).
        let sums = gpt.parameters.map { $0.data.reduce(0) { $0 + abs($1) } }
        for (i, (got, want)) in zip(sums, Self.parameterSums).enumerated() {
            let pytorchError = abs(want - Self.parameterSums64[i])
            #expect(abs(got - want) <= max(1e-5 * abs(want), 2 * pytorchError), "Σ|p|[\(i)]: \(got), PyTorch \(want)")
        }
        Self.expectClose(gpt.parameters.map { $0.data[0] }, Self.firstEntries, "first entries")
        #expect(adam.step == 4)
    }
}
