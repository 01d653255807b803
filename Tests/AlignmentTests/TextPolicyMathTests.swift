import Engine
import Testing

@testable import Alignment

/// TRL's PPO arithmetic against values worked out by hand (each row's comment shows the working).
struct TextPolicyMathTests {
    struct GAECase: Sendable {
        var rewards: [Double], values: [Double], gamma: Double, lambda: Double
        var advantages: [Double], returns: [Double]
    }

    @Test(arguments: [
        // t=2: δ = 1 − 0.5 = 0.5; t=1: δ = 0 + 0.5 − 0.5 = 0, A = 0.95·0.5; t=0: A = 0.95·0.475
        GAECase(
            rewards: [0, 0, 1], values: [0.5, 0.5, 0.5], gamma: 1, lambda: 0.95, advantages: [0.45125, 0.475, 0.5],
            returns: [0.95125, 0.975, 1.0]),
        // t=2: δ = 2 + 0.1 = 2.1; t=1: δ = −1 + 0.9·(−0.1) − 0.4 = −1.49, A = −1.49 + 0.45·2.1 = −0.545;
        // t=0: δ = 1 + 0.9·0.4 − 0.2 = 1.16, A = 1.16 + 0.45·(−0.545) = 0.91475
        GAECase(
            rewards: [1, -1, 2], values: [0.2, 0.4, -0.1], gamma: 0.9, lambda: 0.5,
            advantages: [0.91475, -0.545, 2.1], returns: [1.11475, -0.145, 2.0]),
    ])
    func generalizedAdvantageEstimationOnAThreeStepToy(_ c: GAECase) {
        let (a, r) = generalizedAdvantages(rewards: c.rewards, values: c.values, gamma: c.gamma, lambda: c.lambda)
        #expect(zip(a, c.advantages).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(zip(r, c.returns).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func perTokenKLRewardPaysTheScoreAtTheLastToken() {
        // −0.1·(−1 + 1.5) = −0.05; −0.1·(−2 + 1) + 1 = 1.1
        let r = tokenRewards(score: 1, logp: [-1, -2], referenceLogp: [-1.5, -1], beta: 0.1)
        #expect(abs(r[0] + 0.05) < 1e-15 && abs(r[1] - 1.1) < 1e-15)
        // β = 0 leaves only the score, at the end
        #expect(tokenRewards(score: 2.5, logp: [-1, -2, -3], referenceLogp: [0, 0, 0], beta: 0) == [0, 0, 2.5])
    }

    @Test(arguments: [
        // mean 2, unbiased variance (1 + 0 + 1)/2 = 1
        ([1.0, 2, 3], true, [-1.0, 0, 1], 1.0),
        ([1.0, 2, 3], false, [1.0, 2, 3], 1.0),
        // mean 1, unbiased variance (1 + 1 + 1 + 9)/3 = 4
        ([0.0, 0, 0, 4], true, [-0.5, -0.5, -0.5, 1.5], 4.0),
    ])
    func whiteningUsesTheUnbiasedVariance(x: [Double], shift: Bool, expected: [Double], variance: Double) {
        // TRL adds 1e-8 to the variance before the square root: the expected values scale by √(var/(var + 1e-8)).
        let w = whiten(x, shiftMean: shift)
        let mean = x.reduce(0, +) / Double(x.count)
        let factor = (variance / (variance + 1e-8)).squareRoot()
        for (got, want) in zip(w, expected) {
            let centred = shift ? want : want - mean
            #expect(abs(got - (centred * factor + (shift ? 0 : mean))) < 1e-12)
        }
    }

    @Test func clippedPolicyLossTakesThePessimisticTermPerToken() {
        // ratios 1.5, 0.5, 1.5, 0.5 with advantages 1, 2, −1, −1:
        // max(−1.5, −1.2) = −1.2 (clipped); max(−1.0, −1.6) = −1.0; max(1.5, 1.2) = 1.5; max(0.5, 0.8) = 0.8 (clipped)
        let logRatio = [mathLog(1.5), mathLog(0.5), mathLog(1.5), mathLog(0.5)]
        let zeros = [Double](repeating: 0, count: 4)
        let loss = PPOLoss.evaluate(
            logp: logRatio, oldLogp: zeros, advantages: [1, 2, -1, -1], values: zeros, oldValues: zeros,
            returns: zeros, clip: 0.2, clipValue: 0.2)
        #expect(abs(loss.policy - 0.025) < 1e-12)  // (−1.2 − 1.0 + 1.5 + 0.8)/4
        #expect(loss.clipfrac == 0.5)
        // ½·mean of (ln 1.5)², (ln 2)², (ln 1.5)², (ln 2)²
        #expect(abs(loss.approxkl - 0.16121374195284172) < 1e-12)
        #expect(abs(loss.meanRatio - 1) < 1e-12)
        #expect(loss.value == 0)
    }

    @Test func clippedValueLossTakesTheLargerError() {
        // V 1.0 (old 0.5 → clipped 0.7), R 1.2: max(0.04, 0.25); V 0.6 (→ 0.6), R 0: 0.36; V −1 (old 0 → −0.2), R −1:
        // max(0, 0.64). Loss ½·(0.25 + 0.36 + 0.64)/3.
        let loss = PPOLoss.evaluate(
            logp: [0, 0, 0], oldLogp: [0, 0, 0], advantages: [0, 0, 0], values: [1, 0.6, -1], oldValues: [0.5, 0.5, 0],
            returns: [1.2, 0, -1], clip: 0.2, clipValue: 0.2)
        #expect(abs(loss.value - 1.25 / 6) < 1e-12)
    }

    @Test func theTapeRecordsTheSameLossesAsTheHandFormula() {
        let logp: [Float] = [0.4, -0.7, 0.1, -0.05], old: [Float] = [0, 0, 0, 0]
        let advantages: [Float] = [1, 2, -1, -1], values: [Float] = [1, 0.6, -1, 0.3]
        let oldValues: [Float] = [0.5, 0.5, 0, 0.35], returns: [Float] = [1.2, 0, -1, 0.2]
        let tape = Tape()
        let (policy, value) = PPOLoss.record(
            on: tape, logp: tape.leaf(Tensor(shape: [4, 1], data: logp)),
            values: tape.leaf(Tensor(shape: [4, 1], data: values)), oldLogp: old, advantages: advantages,
            oldValues: oldValues, returns: returns, clip: 0.2, clipValue: 0.2)
        func d(_ x: [Float]) -> [Double] { x.map(Double.init) }
        let hand = PPOLoss.evaluate(
            logp: d(logp), oldLogp: d(old), advantages: d(advantages), values: d(values), oldValues: d(oldValues),
            returns: d(returns), clip: 0.2, clipValue: 0.2)
        #expect(abs(Double(tape.value(policy).data[0]) - hand.policy) < 1e-6)
        #expect(abs(Double(tape.value(value).data[0]) - hand.value) < 1e-6)
    }

    @Test func dpoSequenceLoss() {
        // z = 0.5·((−3 + 3.5) − (−5 + 4)) = 0.75; −log σ(0.75) = log(1 + e^−0.75)
        let loss = dpoLoss(chosen: -3, rejected: -5, referenceChosen: -3.5, referenceRejected: -4, beta: 0.5)
        #expect(abs(loss - 0.38687100611489994) < 1e-12)
        #expect(
            abs(dpoLoss(chosen: -2, rejected: -2, referenceChosen: -2, referenceRejected: -2, beta: 1) - mathLog(2))
                < 1e-15)
    }

    @Test(arguments: [(1, 0.0), (2, 0.19314718055994531), (4, 0.6362943611198906), (256, 4.549083694479562)])
    func bestOfNKLIsLogNMinusNMinusOneOverN(n: Int, kl: Double) {
        #expect(abs(bestOfNKL(n) - kl) < 1e-14)
    }

    @Test func adaptiveKLControllerMatchesTRLsUpdate() {
        // error clip(9/6 − 1, ±0.2) = 0.2; β·(1 + 0.2·64/10000)
        let control = KLControl.adaptive(initial: 0.2, target: 6, horizon: 10000)
        #expect(abs(control.update(0.2, kl: 9, samples: 64) - 0.2 * (1 + 0.2 * 64 / 10000)) < 1e-15)
        // error 3/6 − 1 = −0.5 → −0.2
        #expect(abs(control.update(0.2, kl: 3, samples: 64) - 0.2 * (1 - 0.2 * 64 / 10000)) < 1e-15)
    }
}
