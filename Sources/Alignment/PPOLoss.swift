import Engine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The PPO losses of one minibatch as TRL's `PPOTrainer.loss` defines them, over every continuation token:
///
/// - policy: mean over tokens of max(−A·ρ, −A·clip(ρ, 1 − ε, 1 + ε)), ρ = exp(log π − log π_old);
/// - value: ½·mean of max((V − R)², (clip(V, V_old − ε_v, V_old + ε_v) − R)²), R the returns;
/// - clipfrac: the fraction of tokens where the clipped policy term is the larger; approxkl: ½·mean (log π − log π_old)².
///
/// `PPOLoss.evaluate` computes them in Double for hand-checked tests; `PPOLoss.record` writes the same expressions on
/// a tape, which is what training differentiates.
public struct PPOLoss: Sendable, Equatable {
    public var policy: Double
    public var value: Double
    public var clipfrac: Double
    public var approxkl: Double
    /// The mean ratio ρ (TRL skips a minibatch whose mean ratio exceeds its `ratio_threshold`).
    public var meanRatio: Double

    /// The losses of token log-probabilities `logp` against `oldLogp`, values `values` against `oldValues`.
    public static func evaluate(
        logp: [Double], oldLogp: [Double], advantages: [Double], values: [Double], oldValues: [Double],
        returns: [Double], clip: Double, clipValue: Double
    ) -> PPOLoss {
        let n = Double(logp.count)
        var policy = 0.0, value = 0.0, clipped = 0.0, approx = 0.0, ratioSum = 0.0
        for i in logp.indices {
            let ratio = exp(logp[i] - oldLogp[i])
            let unclipped = -advantages[i] * ratio
            let limited = -advantages[i] * min(max(ratio, 1 - clip), 1 + clip)
            policy += max(unclipped, limited)
            if limited > unclipped { clipped += 1 }
            approx += (logp[i] - oldLogp[i]) * (logp[i] - oldLogp[i])
            ratioSum += ratio
            let vClipped = min(max(values[i], oldValues[i] - clipValue), oldValues[i] + clipValue)
            value += max(
                (values[i] - returns[i]) * (values[i] - returns[i]), (vClipped - returns[i]) * (vClipped - returns[i]))
        }
        return PPOLoss(
            policy: policy / n, value: 0.5 * value / n, clipfrac: clipped / n, approxkl: 0.5 * approx / n,
            meanRatio: ratioSum / n)
    }

    /// The policy and value losses on `tape` for token log-probabilities `logp` and values `values` ([n, 1] each),
    /// the rest constants ([n] each, Float as the tape holds them).
    static func record(
        on tape: Tape, logp: Var, values: Var, oldLogp: [Float], advantages: [Float], oldValues: [Float],
        returns: [Float], clip: Float, clipValue: Float
    ) -> (policy: Var, value: Var) {
        (
            recordPolicy(on: tape, logp: logp, oldLogp: oldLogp, advantages: advantages, clip: clip),
            recordValue(on: tape, values: values, oldValues: oldValues, returns: returns, clipValue: clipValue)
        )
    }

    /// mean(max(−A·ρ, −A·clip(ρ, 1 − ε, 1 + ε))) on `tape`, ρ = exp(logp − oldLogp), logp [n, 1].
    static func recordPolicy(on tape: Tape, logp: Var, oldLogp: [Float], advantages: [Float], clip: Float) -> Var {
        let a = tape.column(advantages)
        let ratio = tape.exp(tape.sub(logp, tape.column(oldLogp)))  // [n, 1]
        // max(−A·ρ, −A·clip(ρ)) = −min(A·ρ, A·clip(ρ))
        let surrogate = tape.minimum(tape.mul(ratio, a), tape.mul(tape.clamp(ratio, 1 - clip, 1 + clip), a))
        return tape.neg(tape.mean(surrogate))
    }

    /// ½·mean(max((V − R)², (clip(V, V_old − ε_v, V_old + ε_v) − R)²)) on `tape`, values [n, 1].
    static func recordValue(on tape: Tape, values: Var, oldValues: [Float], returns: [Float], clipValue: Float) -> Var {
        // clip(V, lo, hi) = max(min(V, hi), lo) = −min(−min(V, hi), −lo), TRL's `clip_by_value`
        let hi = tape.column(oldValues.map { $0 + clipValue }), lo = tape.column(oldValues.map { $0 - clipValue })
        let clipped = tape.neg(tape.minimum(tape.neg(tape.minimum(values, hi)), tape.neg(lo)))
        let r = tape.column(returns)
        let e1 = tape.sub(values, r), e2 = tape.sub(clipped, r)
        let worst = tape.neg(tape.minimum(tape.neg(tape.mul(e1, e1)), tape.neg(tape.mul(e2, e2))))
        return tape.scale(tape.mean(worst), 0.5)
    }
}

extension Tape {
    /// A constant column [n, 1].
    func column(_ x: [Float]) -> Var { constant(Tensor(shape: [x.count, 1], data: x)) }
}
