import Engine
import Models

/// The seed's vector world, with a hidden gold reward so that alignment is measured rather than asserted.
///
/// Prompts and candidate responses are fixed vectors drawn from `seed`. The gold reward of a response y is
/// `gold(y) = u·y − α‖y‖²` for a hidden unit direction u and α = 1/(2√dim): it rewards moving along u up to the norm of a
/// typical response (‖y*‖ = √dim) and punishes going further. A reward model learnt from pairs near the policy sees
/// mostly the linear part and extrapolates it; a policy that maximises that model without restraint runs off along it
/// while gold falls — the reward hacking of the seed's Slide 6.
///
/// A `contextual` task's direction depends on the prompt: u(x) = (u₀ + W·x/dim) / ‖u₀ + W·x/dim‖ with a hidden matrix W
/// of standard normal entries, so the prompt-dependent part is about as long as the shared one and the best response to
/// two prompts differs. A reward model must then read the prompt too: its input (`responseDim`, what a preference row
/// stores) is the prompt followed by the response. Gold stays a unit-direction quadratic, so `goldOptimum` holds for
/// every prompt.
///
/// A `PolicyModel` is read as the Gaussian policy N(π(x), σ²I), σ = `noise`, everywhere: its KL is that of the
/// Gaussians, its reward is the reward model's score of its samples, and its gold is the expected gold of its samples,
/// E[gold(y)] = u·π(x) − α(‖π(x)‖² + dim·σ²) (`expectedGold`).
public struct VectorTask: Sendable, Equatable {
    public let dim: Int
    public let seed: UInt64
    /// Spread σ of sampled responses around a policy's output; also the σ of the Gaussian policy used for KL.
    public let noise: Float
    public let prompts: Tensor  // [promptCount, dim]
    public let testPrompts: Tensor  // [testCount, dim], never used for training
    public let candidates: Tensor  // [candidateCount, dim]
    let goldDirection: [Float]  // unit vector u₀, hidden from every model
    public let curvature: Float  // α
    /// Whether gold's direction depends on the prompt.
    public let contextual: Bool
    let context: Tensor?  // W [dim, dim] of a contextual task, hidden from every model
    /// u(x) of every training and test prompt of a contextual task, computed once: [promptCount, dim], [testCount, dim].
    let promptDirections: Tensor?
    let testDirections: Tensor?

    public init(
        dim: Int, prompts: Int = 256, candidates: Int = 64, testPrompts: Int = 200, noise: Float = 1,
        contextual: Bool = false, seed: UInt64
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
        // Drawn last, so a task that is not contextual draws exactly what it always drew.
        self.contextual = contextual
        let w = contextual ? rng.normalTensor([dim, dim]) : nil
        context = w
        func directions(_ x: Tensor) -> Tensor? {
            w.map { w in Tensor.stack(rows: (0..<x.rows).map { Self.direction(u, w, prompt: x.rowSlice($0)) }) }
        }
        promptDirections = directions(self.prompts)
        testDirections = directions(self.testPrompts)
    }

    public var promptCount: Int { prompts.rows }
    public var candidateCount: Int { candidates.rows }
    public var testCount: Int { testPrompts.rows }

    /// Length of what a reward model reads and a preference row stores: the response, preceded by the prompt when
    /// gold depends on it.
    public var responseDim: Int { contextual ? 2 * dim : dim }

    /// What a reward model reads of response `y` to prompt `x`: `y`, or `x` then `y` for a contextual task.
    public func reading(prompt x: ArraySlice<Float>, response y: some Collection<Float>) -> [Float] {
        contextual ? Array(x) + Array(y) : Array(y)
    }

    /// What a reward model reads of each row of `responses` ([n, dim]) as the answer to the same row of `prompts`.
    public func readings(prompts x: Tensor, responses y: Tensor) -> Tensor {
        guard contextual else { return y }
        return Tensor.stack(rows: (0..<y.rows).map { i in reading(prompt: x.rowSlice(i), response: y.rowSlice(i)) })
    }

    /// The unit direction gold rewards for prompt `x`: u₀, or u(x) for a contextual task.
    func direction(prompt x: ArraySlice<Float>) -> [Float] {
        context.map { Self.direction(goldDirection, $0, prompt: x) } ?? goldDirection
    }

    /// u(x) = (u₀ + W·x/dim) / ‖u₀ + W·x/dim‖.
    static func direction(_ u0: [Float], _ w: Tensor, prompt x: ArraySlice<Float>) -> [Float] {
        let dim = u0.count
        var u = u0
        let scale = 1 / Float(dim)
        for i in 0..<dim {
            var s: Float = 0
            for (j, v) in x.enumerated() { s += w.data[i * dim + j] * v }
            u[i] += s * scale
        }
        let norm = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return u.map { $0 / norm }
    }

    /// What gold hides, for a peer to score responses exactly as the lab does (`rlhf export RUN/task`): u₀, W of a
    /// contextual task (nil otherwise), and the unit direction u(x) of every training and held-out prompt (u₀ in every
    /// row when gold does not depend on the prompt).
    public var hiddenGold: (direction: [Float], context: Tensor?, promptDirections: Tensor, testDirections: Tensor) {
        func table(_ count: Int, test: Bool) -> Tensor {
            Tensor.stack(rows: (0..<count).map { direction(prompt: $0, test: test) })
        }
        return (goldDirection, context, table(promptCount, test: false), table(testCount, test: true))
    }

    /// The unit direction gold rewards for training prompt `i` (held-out prompt `i` when `test`).
    func direction(prompt i: Int, test: Bool) -> [Float] {
        guard let table = test ? testDirections : promptDirections else { return goldDirection }
        return Array(table.rowSlice(i))
    }

    /// Gold reward of response `y` to prompt `x`: u(x)·y − α‖y‖².
    public func gold(prompt x: ArraySlice<Float>, response y: ArraySlice<Float>) -> Float {
        gold(y, direction: contextual ? direction(prompt: x) : goldDirection)
    }

    func gold(_ y: ArraySlice<Float>, direction u: [Float]) -> Float {
        var dot: Float = 0, sq: Float = 0
        for (i, v) in y.enumerated() {
            dot += u[i] * v
            sq += v * v
        }
        return dot - curvature * sq
    }

    /// Gold reward of what a preference row stores (a `reading`).
    public func gold(reading r: ArraySlice<Float>) -> Float {
        guard contextual else { return gold(r, direction: goldDirection) }
        let mid = r.startIndex + dim
        return gold(prompt: r[..<mid], response: r[mid...])
    }

    /// Gold reward of each row of `responses` ([n, dim]) as the answer to training prompt `indices[row]` (held-out
    /// prompt when `test`).
    public func gold(responses y: Tensor, prompts indices: [Int], test: Bool) -> [Float] {
        indices.enumerated().map { row, i in gold(y.rowSlice(row), direction: direction(prompt: i, test: test)) }
    }

    /// What the Gaussian policy's spread costs in expected gold: E‖y‖² = ‖µ‖² + dim·σ², so α·dim·σ².
    public var spreadCost: Float { curvature * Float(dim) * noise * noise }

    /// Expected gold of the samples N(µ, σ²I) around each row µ of `means`, answering prompts `indices`.
    public func expectedGold(means: Tensor, prompts indices: [Int], test: Bool) -> [Float] {
        gold(responses: means, prompts: indices, test: test).map { $0 - spreadCost }
    }

    /// The reward model's mean score of `samples` draws N(µ, σ²I) around each row µ of `means` (answering prompts
    /// `indices`), from a generator fixed by the task's seed: every policy is scored on the same noise, so two
    /// policies' scores differ only by what the policies do.
    public func expectedScores(
        _ rm: RewardModel, means: Tensor, prompts indices: [Int], test: Bool, samples: Int = 8
    ) -> [Float] {
        var rng = RNG(seed: seed ^ 0x5A3D_1E5C_0FF1_CE00)
        let source = test ? testPrompts : prompts
        var total = [Float](repeating: 0, count: means.rows)
        for _ in 0..<samples {
            let y = means.data.map { $0 + noise * rng.normal() }
            let rows = (0..<means.rows).map { r in
                reading(prompt: source.rowSlice(indices[r]), response: y[(r * dim)..<(r * dim + dim)])
            }
            for (r, s) in rm.scores(Tensor.stack(rows: rows)).enumerated() { total[r] += s }
        }
        return total.map { $0 / Float(samples) }
    }

    /// The largest gold reward any response can have (at y* = u(x)/2α, for every prompt).
    public var goldOptimum: Float { 1 / (4 * curvature) }

    /// The largest expected gold a Gaussian policy of spread σ can have: `goldOptimum` − `spreadCost`.
    public var expectedGoldOptimum: Float { goldOptimum - spreadCost }

    /// Checks that a dataset's rows are what this task's reward models read (`responseDim` values each).
    func check(_ data: PreferenceDataset) throws {
        guard data.dim == responseDim else {
            throw AlignmentError.shapeMismatch(
                contextual
                    ? "preferences hold \(data.dim) values per response but the task's reward model reads \(responseDim) (the prompt, then the response)"
                    : "preferences hold responses of \(data.dim) values but the task's have \(dim)")
        }
    }

    /// Checks that a policy maps this task's prompts to this task's responses.
    func check(policy: PolicyModel) throws {
        guard policy.input == dim, policy.output == dim else {
            throw AlignmentError.shapeMismatch(
                "policy maps \(policy.input) → \(policy.output) values but the task's prompts and responses have \(dim)"
            )
        }
    }
}
