import Engine
import Models

/// A task whose responses to each prompt are a fixed set of candidates, so a `SamplingPolicy` can choose among them.
/// `VectorTask` (candidates shared by every prompt) and `ModerationTask` (actions on a content item) are two.
public protocol CandidateTask: Sendable {
    /// Training prompts as the policy reads them: [promptCount, promptDim].
    var prompts: Tensor { get }
    /// Held-out prompts, never trained on: [testCount, promptDim].
    var testPrompts: Tensor { get }
    var candidateCount: Int { get }
    /// Length of a response vector, which is what a reward model reads and a preference row stores.
    var responseDim: Int { get }
    /// The response vector of candidate `k` to prompt `i` (of the held-out prompts when `test`).
    func response(prompt i: Int, test: Bool, candidate k: Int) -> [Float]
    /// Hidden gold reward of candidate `k` as the answer to prompt `i`.
    func gold(prompt i: Int, test: Bool, candidate k: Int) -> Float
    /// Candidate indices of each row's chosen and rejected response; throws when a row is not over candidates.
    func candidateIndices(_ data: PreferenceDataset) throws -> (chosen: [Int], rejected: [Int])
}

/// The prompts of a task whose hidden truth per item is a category and a scalar s ∈ [0, 1) (a moderation item's
/// severity, a support issue's difficulty): features are the category's hidden prototype, plus s along a hidden
/// direction, plus noise. Draws from `rng` in a fixed order, so a task rebuilt from its seed is the same task.
struct CategoryFeatures {
    let dim: Int
    let noise: Float
    private let categories: Int
    private let prototypes: Tensor  // [categories, dim]
    private let direction: [Float]  // ‖direction‖ ≈ 2

    /// Refuses parameters a task built on these features cannot use, naming the task and what it counts.
    static func check(_ task: String, dim: Int, counts: (train: Int, test: Int), of noun: String, noise: Float) throws {
        guard dim >= 2 else { throw AlignmentError.invalidArgument("\(task) needs dim ≥ 2, got \(dim)") }
        guard counts.train >= 1, counts.test >= 1 else {
            throw AlignmentError.invalidArgument("\(task) needs at least one \(noun) and one test \(noun)")
        }
        guard noise >= 0 else { throw AlignmentError.invalidArgument("\(task) noise must be ≥ 0, got \(noise)") }
    }

    init(categories: Int, dim: Int, noise: Float, rng: inout RNG) {
        self.categories = categories
        self.dim = dim
        self.noise = noise
        prototypes = rng.normalTensor([categories, dim])
        direction = rng.normalTensor([1, dim], scale: 2 / Float(dim).squareRoot()).data
    }

    /// n items: their features [n, dim], categories and scalars.
    func draw(_ n: Int, rng: inout RNG) -> (features: Tensor, category: [Int], scalar: [Float]) {
        var x = [Float](), c = [Int](), s = [Float]()
        for _ in 0..<n {
            let cat = rng.int(below: categories)
            let value = Float(rng.uniform())
            for j in 0..<dim {
                x.append(prototypes[cat, j] + value * direction[j] * Float(dim).squareRoot() / 2 + noise * rng.normal())
            }
            c.append(cat)
            s.append(value)
        }
        return (Tensor(shape: [n, dim], data: x), c, s)
    }
}

extension CandidateTask {
    public var promptCount: Int { prompts.rows }
    public var promptDim: Int { prompts.columns }

    /// Gold reward of every candidate for each prompt: [prompts.count, candidateCount].
    func goldTable(_ indices: [Int], test: Bool) -> Tensor {
        let k = candidateCount
        var out = [Float](repeating: 0, count: indices.count * k)
        for (r, i) in indices.enumerated() {
            for j in 0..<k { out[r * k + j] = gold(prompt: i, test: test, candidate: j) }
        }
        return Tensor(shape: [indices.count, k], data: out)
    }

    /// Reward-model score of every candidate for each prompt: [prompts.count, candidateCount].
    func rewardTable(_ rm: RewardModel, _ indices: [Int], test: Bool) -> Tensor {
        let k = candidateCount
        var out = [Float](repeating: 0, count: indices.count * k)
        for j in 0..<k {
            let scores = rm.scores(Tensor.stack(rows: indices.map { response(prompt: $0, test: test, candidate: j) }))
            for r in indices.indices { out[r * k + j] = scores[r] }
        }
        return Tensor(shape: [indices.count, k], data: out)
    }

    func check(samplingPolicy policy: SamplingPolicy) throws {
        guard policy.input == promptDim, policy.candidates == candidateCount else {
            throw AlignmentError.shapeMismatch(
                "sampling policy maps \(policy.input) values to \(policy.candidates) candidates but the task has \(promptDim)-value prompts and \(candidateCount) candidates"
            )
        }
    }

    /// Checks that a reward model reads this task's responses.
    func check(rewardModel rm: RewardModel) throws {
        guard rm.input == responseDim else {
            // A contextual vector task's reward model reads the prompt too, which a newcomer cannot guess from sizes.
            let hint =
                (self as? VectorTask)?.contextual == true
                ? " (the prompt, then the response: RewardModel(input: task.reward_input, …))" : ""
            throw AlignmentError.shapeMismatch(
                "reward model reads \(rm.input) values but the task's responses have \(responseDim)" + hint)
        }
    }

    /// For tasks whose response is `features` prompt values then a one-hot of the candidate: each row's chosen and
    /// rejected candidate, or an error naming the first row that is not a `kind`.
    func oneHotIndices(_ data: PreferenceDataset, features: Int, kind: String) throws -> (
        chosen: [Int], rejected: [Int]
    ) {
        func candidate(_ y: [Float], _ uid: Int64) throws -> Int {
            guard y.count == responseDim, let k = y[features...].firstIndex(of: 1).map({ $0 - features }) else {
                throw AlignmentError.invalidArgument(
                    "preference \(uid) is not a \(kind) (\(y.count) values, expected \(responseDim))")
            }
            return k
        }
        return (
            try data.rows.map { try candidate($0.chosen, $0.uid) },
            try data.rows.map { try candidate($0.rejected, $0.uid) }
        )
    }

    /// E_π of the gold reward over the held-out prompts (exact, no sampling).
    public func expectedGold(_ policy: SamplingPolicy) throws -> Double {
        try check(samplingPolicy: policy)
        return expectation(policy.logProbabilities(testPrompts), of: goldTable(Array(0..<testPrompts.rows), test: true))
    }

    /// KL(π ‖ π_ref) over the held-out prompts (exact, no sampling): one measure for every method, so PPO's
    /// policies (whose logged KL is one training batch's) and DPO's (all training prompts) compare at equal KL.
    public func expectedKL(_ policy: SamplingPolicy, reference: SamplingPolicy) throws -> Double {
        try check(samplingPolicy: policy)
        try check(samplingPolicy: reference)
        return PolicyStatistics(
            logp: policy.logProbabilities(testPrompts), reference: reference.logProbabilities(testPrompts)
        ).kl
    }
}

extension VectorTask: CandidateTask {
    public func response(prompt i: Int, test: Bool, candidate k: Int) -> [Float] {
        reading(prompt: (test ? testPrompts : prompts).rowSlice(i), response: candidates.rowSlice(k))
    }

    public func gold(prompt i: Int, test: Bool, candidate k: Int) -> Float {
        gold(candidates.rowSlice(k), direction: direction(prompt: i, test: test))
    }

    /// The candidate index of each row's chosen and rejected response (the response part of a contextual row).
    public func candidateIndices(_ data: PreferenceDataset) throws -> (chosen: [Int], rejected: [Int]) {
        var index: [[Float]: Int] = [:]
        for i in 0..<candidateCount { index[Array(candidates.rowSlice(i))] = i }
        let skip = responseDim - dim
        var c: [Int] = [], r: [Int] = []
        for row in data.rows {
            guard row.chosen.count == responseDim, row.rejected.count == responseDim,
                let i = index[Array(row.chosen.dropFirst(skip))], let j = index[Array(row.rejected.dropFirst(skip))]
            else {
                throw AlignmentError.invalidArgument(
                    "preference \(row.uid) does not compare two of the task's candidates; collect the pairs without a policy"
                )
            }
            c.append(i)
            r.append(j)
        }
        return (c, r)
    }
}
