import Engine
import Models

/// The seed's vector world, with a hidden gold reward so that alignment is measured rather than asserted.
///
/// Prompts and candidate responses are fixed vectors drawn from `seed`. The gold reward of a response y is
/// `gold(y) = u·y − α‖y‖²` for a hidden unit direction u and α = 1/(2√dim): it rewards moving along u up to the norm of a
/// typical response (‖y*‖ = √dim) and punishes going further. A reward model learnt from pairs near the policy sees
/// mostly the linear part and extrapolates it; a policy that maximises that model without restraint runs off along it
/// while gold falls — the reward hacking of the seed's Slide 6.
public struct VectorTask: Sendable, Equatable {
    public let dim: Int
    public let seed: UInt64
    /// Spread σ of sampled responses around a policy's output; also the σ of the Gaussian policy used for KL.
    public let noise: Float
    public let prompts: Tensor  // [promptCount, dim]
    public let testPrompts: Tensor  // [testCount, dim], never used for training
    public let candidates: Tensor  // [candidateCount, dim]
    let goldDirection: [Float]  // unit vector u, hidden from every model
    public let curvature: Float  // α

    public init(
        dim: Int, prompts: Int = 256, candidates: Int = 64, testPrompts: Int = 200, noise: Float = 1, seed: UInt64
    ) throws {
        guard dim >= 2 else { throw AlignmentError.invalidArgument("VectorTask needs dim ≥ 2, got \(dim)") }
        guard prompts >= 1, testPrompts >= 1 else {
            throw AlignmentError.invalidArgument("VectorTask needs at least one prompt and one test prompt")
        }
        guard candidates >= 2 else {
            throw AlignmentError.invalidArgument("VectorTask needs at least 2 candidates, got \(candidates)")
        }
        guard noise > 0 else { throw AlignmentError.invalidArgument("VectorTask noise must be > 0, got \(noise)") }
        self.dim = dim
        self.seed = seed
        self.noise = noise
        var rng = RNG(seed: seed)
        var u = (0..<dim).map { _ in rng.normal() }
        let norm = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
        u = u.map { $0 / norm }
        goldDirection = u
        curvature = 1 / (2 * Float(dim).squareRoot())
        self.prompts = rng.normalTensor([prompts, dim])
        self.testPrompts = rng.normalTensor([testPrompts, dim])
        self.candidates = rng.normalTensor([candidates, dim])
    }

    public var promptCount: Int { prompts.rows }
    public var candidateCount: Int { candidates.rows }
    public var testCount: Int { testPrompts.rows }

    /// Gold reward of one response vector.
    public func gold(_ y: ArraySlice<Float>) -> Float {
        var dot: Float = 0, sq: Float = 0
        for (i, v) in y.enumerated() {
            dot += goldDirection[i] * v
            sq += v * v
        }
        return dot - curvature * sq
    }

    /// Gold reward of every row of `responses` ([n, dim]).
    public func gold(_ responses: Tensor) -> [Float] {
        (0..<responses.rows).map { i in gold(responses.data[(i * dim)..<(i * dim + dim)]) }
    }

    /// The largest gold reward any response can have (at y* = u/2α).
    public var goldOptimum: Float { 1 / (4 * curvature) }

    /// Checks that a policy maps this task's prompts to this task's responses.
    func check(policy: PolicyModel) throws {
        guard policy.input == dim, policy.output == dim else {
            throw AlignmentError.shapeMismatch(
                "policy maps \(policy.input) → \(policy.output) values but the task's prompts and responses have \(dim)"
            )
        }
    }
}
