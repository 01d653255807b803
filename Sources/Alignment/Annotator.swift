import Engine

/// A simulated human who compares two responses.
public enum Annotator: Sendable, Equatable {
    /// The seed's Slide 4: a fair coin, blind to the responses.
    case coin
    /// Christiano et al. (2017): P(prefer a) = ε/2 + (1 − ε)·σ(gold(a) − gold(b)), ε the chance of a random answer.
    case bradleyTerry(noise: Double)

    public init(bradleyTerryNoise noise: Double) throws {
        guard (0...1).contains(noise) else {
            throw AlignmentError.invalidArgument("BradleyTerry noise must be between 0 and 1, got \(noise)")
        }
        self = .bradleyTerry(noise: noise)
    }

    /// Probability that this annotator prefers a response of gold `a` over one of gold `b`.
    public func probabilityPrefers(gold a: Float, over b: Float) -> Double {
        switch self {
        case .coin: 0.5
        case let .bradleyTerry(noise): noise / 2 + (1 - noise) * Double(sigmoid(a - b))
        }
    }

    /// One judgement, drawn from `rng`.
    public func prefersFirst(gold a: Float, over b: Float, rng: inout RNG) -> Bool {
        rng.uniform() < probabilityPrefers(gold: a, over: b)
    }

    /// How the annotator is written in a notebook and recorded on every row it labels.
    public var name: String {
        switch self {
        case .coin: "coin"
        case let .bradleyTerry(noise): "bradleyTerry(noise: \(noise))"
        }
    }
}
