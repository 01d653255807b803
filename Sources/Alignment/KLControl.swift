/// How the KL penalty's weight β is set during policy optimisation.
public enum KLControl: Sendable, Equatable {
    /// β stays put.
    case fixed(Double)
    /// Ziegler et al. (2019): after each step with measured KL, β ← β·(1 + clip(KL/target − 1, −0.2, 0.2)·n/horizon),
    /// n the samples in the step; β rises while the policy drifts further than `target` and falls while it stays closer.
    case adaptive(initial: Double, target: Double, horizon: Double)

    var initial: Double {
        switch self {
        case let .fixed(b): b
        case let .adaptive(b, _, _): b
        }
    }

    /// The next β after a step that measured `kl` over `samples` samples.
    public func update(_ beta: Double, kl: Double, samples: Int) -> Double {
        guard case let .adaptive(_, target, horizon) = self else { return beta }
        let error = min(max(kl / target - 1, -0.2), 0.2)
        return beta * (1 + error * Double(samples) / horizon)
    }
}
