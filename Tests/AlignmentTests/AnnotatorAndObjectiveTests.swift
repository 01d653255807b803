import Engine
import Models
import Testing

@testable import Alignment

// MARK: - Annotators: formulas by hand, and frequencies over many draws

struct AnnotatorCase: Sendable, CustomTestStringConvertible {
    let annotator: Annotator
    /// Gold and length of a and b.
    let ga: Float, la: Float, gb: Float, lb: Float
    /// P(a ≻ b) computed by hand.
    let expected: Double
    var testDescription: String { annotator.name }
}

let annotatorCases: [AnnotatorCase] = [
    AnnotatorCase(annotator: .oracle, ga: 0.3, la: 1, gb: 0.1, lb: 9, expected: 1),
    AnnotatorCase(annotator: .oracle, ga: -1, la: 1, gb: 0.1, lb: 1, expected: 0),
    // 0.2/2 + 0.8·σ(1/2) = 0.1 + 0.8·0.6224593
    AnnotatorCase(
        annotator: .bradleyTerry(noise: 0.2, temperature: 2), ga: 1, la: 0, gb: 0, lb: 0, expected: 0.5979674),
    // σ(gold diff −0.5 + 0.5·(length diff 3)) = σ(1) = 0.7310586: length outweighs a worse gold
    AnnotatorCase(annotator: .biased(toward: "length", weight: 0.5), ga: 0, la: 4, gb: 0.5, lb: 1, expected: 0.7310586),
    // members say a with p = 1, σ(1) and 0.5: majority a = 1·(1 − (1 − σ(1))·0.5) = 0.8655293
    AnnotatorCase(
        annotator: .panel([.oracle, .bradleyTerry(noise: 0), .coin]), ga: 1, la: 0, gb: 0, lb: 0, expected: 0.8655293),
]

@Test(arguments: annotatorCases)
func annotatorProbabilityMatchesTheHandComputedValue(_ c: AnnotatorCase) {
    let p = c.annotator.probabilityPrefers(gold: c.ga, length: c.la, over: c.gb, length: c.lb)
    #expect(abs(p - c.expected) < 1e-6, "\(c.annotator.name): \(p) vs \(c.expected)")
}

/// The frequency of "a preferred" over n draws lies within 4.5 binomial standard deviations √(p(1 − p)/n) of p
/// (a false alarm about once in 150,000 runs; the seed is fixed anyway, so the test is deterministic).
@Test(arguments: annotatorCases)
func annotatorFrequencyMatchesItsProbability(_ c: AnnotatorCase) {
    var rng = RNG(seed: 99)
    let n = 20_000
    var wins = 0
    for _ in 0..<n where c.annotator.judge(gold: c.ga, length: c.la, over: c.gb, length: c.lb, rng: &rng).prefersFirst {
        wins += 1
    }
    let frequency = Double(wins) / Double(n)
    let tolerance = 4.5 * (c.expected * (1 - c.expected) / Double(n)).squareRoot()
    #expect(
        abs(frequency - c.expected) <= tolerance,
        "\(c.annotator.name): frequency \(frequency), p \(c.expected), tolerance \(tolerance)")
}

@Test func panelRowsRecordHowTheMembersSplit() throws {
    let task = try VectorTask(dim: 8, prompts: 10, candidates: 12, seed: 3)
    var rng = RNG(seed: 5)
    let panel = try Annotator(panel: [.bradleyTerry(noise: 0.5), .coin, .oracle])
    let data = try collect(task: task, policy: nil, annotator: panel, pairs: 400, rng: &rng)
    // Three voters: a row is unanimous (0) or split 2 to 1 (1/3), and the label says which.
    #expect(data.rows.allSatisfy { $0.disagreement == 0 || abs($0.disagreement - 1.0 / 3) < 1e-12 })
    #expect(data.rows.allSatisfy { $0.annotator.hasSuffix($0.disagreement == 0 ? ": 3 of 3" : ": 2 of 3") })
    let split = data.rows.filter { $0.disagreement > 0 }.count
    #expect(split > 50 && split < 350)
    #expect(abs(data.disagreement - Double(split) / 3 / 400) < 1e-12)
    #expect(throws: AlignmentError.self) { try Annotator(panel: [.oracle]) }
    #expect(throws: AlignmentError.self) { try Annotator(biasedToward: "politeness", weight: 1) }
}

// MARK: - Losses and estimators against hand-computed values

@Test func bradleyTerryLossAndGradientMatchHandValues() {
    // r⁺ = 2, r⁻ = 1: loss = −log σ(1) = log(1 + e⁻¹) = 0.3132617; ∂/∂r⁺ = −σ(−1) = −0.2689414 = −∂/∂r⁻
    let tape = Tape()
    let rc = tape.leaf(Tensor(shape: [1, 1], data: [2]))
    let rr = tape.leaf(Tensor(shape: [1, 1], data: [1]))
    let loss = tape.neg(tape.mean(tape.logSigmoid(tape.sub(rc, rr))))
    let g = tape.backward(loss)
    #expect(abs(tape.value(loss).data[0] - 0.3132617) < 1e-6)
    #expect(abs((g[rc]?.data[0] ?? 0) + 0.2689414) < 1e-6)
    #expect(abs((g[rr]?.data[0] ?? 0) - 0.2689414) < 1e-6)
}

@Test(
    arguments: [
        (1.5, 2.0, 2.4),  // ratio above 1 + ε with a positive advantage: clipped, no incentive to go further
        (0.5, 2.0, 1.0),  // ratio below 1 − ε with a positive advantage: the unclipped (smaller) term
        (0.5, -1.0, -0.8),  // ratio below 1 − ε with a negative advantage: clipped
        (1.5, -1.0, -1.5),  // ratio above 1 + ε with a negative advantage: unclipped, the pessimistic bound
        (1.1, 3.0, 3.3),  // inside the trust region: plain ρ·A
    ] as [(Double, Double, Double)])
func ppoClippedSurrogateMatchesHandValues(ratio: Double, advantage: Double, expected: Double) {
    #expect(abs(clippedSurrogate(ratio: ratio, advantage: advantage, clip: 0.2) - expected) < 1e-12)
}

@Test func ppoClippingStopsTheGradientOutsideTheTrustRegion() {
    // The tape expression the trainer uses, at ratios 1.5 (clipped, A > 0) and 1.1 (inside): ∂/∂log π = ρ·A inside, 0 clipped.
    let tape = Tape()
    let logp = tape.leaf(Tensor(shape: [2, 1], data: [Float(mathLog(1.5)), Float(mathLog(1.1))]))
    let ratio = tape.exp(logp)  // old log-probabilities are 0
    let a = tape.leaf(Tensor(shape: [2, 1], data: [2, 3]))
    let objective = tape.sum(tape.minimum(tape.mul(ratio, a), tape.mul(tape.clamp(ratio, 0.8, 1.2), a)))
    let g = tape.backward(objective)[logp]?.data ?? []
    #expect(abs(tape.value(objective).data[0] - (2.4 + 3.3)) < 1e-5)
    #expect(g.count == 2 && g[0] == 0 && abs(g[1] - 3.3) < 1e-5)
}

@Test func klOfCategoricalsMatchesTheHandValueAndTheSampleEstimatorConverges() {
    // KL((½, ½) ‖ (¼, ¾)) = ½ ln 2 + ½ ln(2/3) = 0.1438410; entropy of (½, ½) = ln 2
    let p = Tensor(shape: [1, 2], data: [Float(mathLog(0.5)), Float(mathLog(0.5))])
    let q = Tensor(shape: [1, 2], data: [Float(mathLog(0.25)), Float(mathLog(0.75))])
    let exact = PolicyStatistics(logp: p, reference: q)
    #expect(abs(exact.kl - 0.1438410) < 1e-6)
    #expect(abs(exact.entropy - 0.6931472) < 1e-6)
    // The per-sample estimator log p(y) − log q(y), y ~ p, the one the rewards carry: its mean over n samples lies within
    // 4.5 standard errors of the exact KL (per-sample values are ln 2 and ln(2/3), so its std is ½(ln 2 − ln(2/3)) = 0.5493).
    var rng = RNG(seed: 3)
    let n = 20_000
    var total = 0.0
    for _ in 0..<n {
        let y = SamplingPolicy.sample(p, row: 0, rng: &rng)
        total += Double(p.data[y] - q.data[y])
    }
    #expect(abs(total / Double(n) - exact.kl) < 4.5 * 0.5493 / Double(n).squareRoot())
}

@Test func dpoLossMatchesHandValues() {
    // z = 0.1·((−1 + 1.5) − (−2 + 1.5)) = 0.1; loss = log(1 + e^{−0.1}) = 0.6443967
    #expect(
        abs(dpoLoss(chosen: -1, rejected: -2, referenceChosen: -1.5, referenceRejected: -1.5, beta: 0.1) - 0.6443967)
            < 1e-6)
    // At the reference the loss is ln 2 whatever the likelihoods.
    #expect(
        abs(dpoLoss(chosen: -3, rejected: -0.2, referenceChosen: -3, referenceRejected: -0.2, beta: 0.1) - 0.6931472)
            < 1e-6)
    // Large margins do not overflow.
    #expect(dpoLoss(chosen: 0, rejected: -1e4, referenceChosen: 0, referenceRejected: 0, beta: 1) < 1e-12)
}

@Test func leaveOneOutAdvantagesSubtractTheOthersMean() {
    let a = leaveOneOutAdvantages([1, 2, 3, 6, 5, 5], groupSize: 4)
    let expected = [1 - 11.0 / 3, 2 - 10.0 / 3, 0, 4, 0, 0]
    #expect(zip(a, expected).allSatisfy { abs($0 - $1) < 1e-12 })
}

@Test func adaptiveKLControllerFollowsZiegler() {
    let c = KLControl.adaptive(initial: 0.1, target: 6, horizon: 1000)
    // KL twice the target: error clipped to 0.2; 64 samples: β·(1 + 0.2·64/1000)
    #expect(abs(c.update(0.1, kl: 12, samples: 64) - 0.10128) < 1e-12)
    // KL of 4.5: error −0.25 clipped to −0.2
    #expect(abs(c.update(0.1, kl: 4.5, samples: 100) - 0.098) < 1e-12)
    // KL of 6.6: error 0.1
    #expect(abs(c.update(0.1, kl: 6.6, samples: 100) - 0.101) < 1e-12)
    #expect(KLControl.fixed(0.3).update(0.3, kl: 100, samples: 100) == 0.3)
}

@Test func calibrationErrorMatchesHandValues() {
    // Two confident predictions, one right and one wrong: bin [0.95, 1] holds both, accuracy ½, confidence σ(10).
    let s10 = 1 / (1 + mathExp(-10.0))
    #expect(abs(calibrationError(margins: [10, -10]) - abs(0.5 - s10)) < 1e-6)
    // Margin 0 predicts ½ and counts half right: perfectly calibrated.
    #expect(calibrationError(margins: [0, 0]) < 1e-12)
}
