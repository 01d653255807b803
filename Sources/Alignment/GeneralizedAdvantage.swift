/// Generalised advantage estimation (Schulman et al. 2016) over one continuation, as TRL's `compute_advantages` runs
/// it: backwards from the last token, δ_t = r_t + γ·V_{t+1} − V_t (V after the last token is 0) and
/// A_t = δ_t + γλ·A_{t+1}; the returns, the value head's targets, are A_t + V_t.
///
/// ```swift
/// generalizedAdvantages(rewards: [0, 0, 1], values: [0.5, 0.5, 0.5], gamma: 1, lambda: 0.95)
/// // advantages [0.45125, 0.475, 0.5], returns [0.95125, 0.975, 1.0]
/// ```
public func generalizedAdvantages(rewards: [Double], values: [Double], gamma: Double = 1, lambda: Double = 0.95)
    -> (advantages: [Double], returns: [Double])
{
    precondition(
        rewards.count == values.count, "generalizedAdvantages: \(rewards.count) rewards, \(values.count) values")
    var advantages = [Double](repeating: 0, count: rewards.count)
    var last = 0.0
    for t in rewards.indices.reversed() {
        let next = t + 1 < values.count ? values[t + 1] : 0
        let delta = rewards[t] + gamma * next - values[t]
        last = delta + gamma * lambda * last
        advantages[t] = last
    }
    return (advantages, zip(advantages, values).map(+))
}

/// TRL's `masked_whiten` with every entry unmasked: (x − mean)/√(var + 10⁻⁸) with the unbiased variance (n − 1 in the
/// denominator); without `shiftMean` the mean is added back, leaving the scale normalised but the sign of the mean.
/// PPO whitens the advantages of the whole batch, every token of every continuation at once.
///
/// ```swift
/// whiten([1, 2, 3])  // [-1, 0, 1] up to the 10⁻⁸
/// ```
public func whiten(_ x: [Double], shiftMean: Bool = true) -> [Double] {
    precondition(x.count >= 2, "whiten needs at least 2 values, got \(x.count)")
    let n = Double(x.count)
    let mean = x.reduce(0, +) / n
    let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n * (n / (n - 1))
    let scale = 1 / (variance + 1e-8).squareRoot()
    return x.map { ($0 - mean) * scale + (shiftMean ? 0 : mean) }
}
