import Engine
import Models

/// The seed's Slide 9: content moderation over five categories with a hidden gold policy.
///
/// Each content item belongs to one category and has a severity s ∈ [0, 1); the policy sees only a feature vector
/// (the category's hidden prototype, plus s along a hidden severity direction, plus noise). It answers with one of three
/// actions — allow, label (a warning), remove. The hidden gold policy takes, per category, the action whose severity
/// band contains s (see `thresholds`); the gold reward of an action is −|action − gold action| (0 when right).
/// A response vector, what the reward model reads and a preference row stores, is the item's features followed by the
/// action one-hot.
public struct ModerationTask: Sendable, Equatable {
    public static let categories = ["hate speech", "misinformation", "spam", "adult content", "violence"]
    public static let actions = ["allow", "label", "remove"]
    /// Severity at which each category's gold policy starts labelling and starts removing (spam is never labelled).
    public static let thresholds: [(label: Float, remove: Float)] = [
        (0.2, 0.5), (0.3, 0.8), (0.4, 0.4), (0.1, 0.7), (0.2, 0.4),
    ]

    public let dim: Int
    public let seed: UInt64
    /// Spread of the item features around their category's prototype; with `dim`, the counts and `seed` it rebuilds
    /// the task exactly.
    public let noise: Float
    public let prompts: Tensor  // [items, dim]
    public let testPrompts: Tensor  // [testItems, dim]
    /// Hidden: category and severity of each training and held-out item.
    let category: [Int], testCategory: [Int]
    let severity: [Float], testSeverity: [Float]

    public init(dim: Int, items: Int = 500, testItems: Int = 500, noise: Float = 0.3, seed: UInt64) throws {
        try CategoryFeatures.check("ModerationTask", dim: dim, counts: (items, testItems), of: "item", noise: noise)
        self.dim = dim
        self.seed = seed
        self.noise = noise
        var rng = RNG(seed: seed)
        let features = CategoryFeatures(categories: Self.categories.count, dim: dim, noise: noise, rng: &rng)
        (prompts, category, severity) = features.draw(items, rng: &rng)
        (testPrompts, testCategory, testSeverity) = features.draw(testItems, rng: &rng)
    }

    /// The hidden gold action for an item of category `c` and severity `s`.
    public static func goldAction(category c: Int, severity s: Float) -> Int {
        s >= thresholds[c].remove ? 2 : (s >= thresholds[c].label ? 1 : 0)
    }

    func goldAction(_ i: Int, test: Bool) -> Int {
        test
            ? Self.goldAction(category: testCategory[i], severity: testSeverity[i])
            : Self.goldAction(category: category[i], severity: severity[i])
    }

    /// Fraction of held-out items of each category on which the policy's most likely action is the gold action.
    public func categoryAccuracy(_ policy: SamplingPolicy) throws -> [Double] {
        try check(samplingPolicy: policy)
        let logp = policy.logProbabilities(testPrompts)
        var right = [Int](repeating: 0, count: Self.categories.count), total = right
        for i in 0..<testPrompts.rows {
            let row = logp.data[(i * 3)..<(i * 3 + 3)]
            let best = row.indices.max { row[$0] < row[$1] }.map { $0 - i * 3 } ?? 0
            total[testCategory[i]] += 1
            if best == goldAction(i, test: true) { right[testCategory[i]] += 1 }
        }
        return zip(right, total).map { $1 == 0 ? .nan : Double($0) / Double($1) }
    }
}

extension ModerationTask: CandidateTask {
    public var candidateCount: Int { Self.actions.count }
    public var responseDim: Int { dim + Self.actions.count }

    public func response(prompt i: Int, test: Bool, candidate k: Int) -> [Float] {
        let x = test ? testPrompts : prompts
        return Array(x.data[(i * dim)..<(i * dim + dim)]) + (0..<Self.actions.count).map { $0 == k ? 1 : 0 }
    }

    public func gold(prompt i: Int, test: Bool, candidate k: Int) -> Float {
        -Float(abs(k - goldAction(i, test: test)))
    }

    public func candidateIndices(_ data: PreferenceDataset) throws -> (chosen: [Int], rejected: [Int]) {
        try oneHotIndices(data, features: dim, kind: "moderation action")
    }
}

/// Simulated feedback over a task's fixed candidates (moderation actions, support replies): each row draws a training
/// prompt and two different candidates, which the annotator compares by their gold reward (a length bias sees the
/// response norm, which for these tasks does not depend on the candidate).
public func collect(
    candidates task: some CandidateTask, annotator: Annotator, pairs: Int,
    into dataset: PreferenceDataset = PreferenceDataset(), rng: inout RNG,
    control: TrainingControl = TrainingControl()
) throws -> PreferenceDataset {
    guard pairs >= 1 else { throw AlignmentError.invalidArgument("collect needs pairs ≥ 1, got \(pairs)") }
    guard task.candidateCount >= 2 else {
        throw AlignmentError.invalidArgument("collect needs at least two candidates to compare")
    }
    try dataset.checkVectorRows()
    if dataset.count > 0 && dataset.dim != task.responseDim {
        throw AlignmentError.shapeMismatch(
            "dataset holds responses of \(dataset.dim) values but the task's have \(task.responseDim)")
    }
    let k = task.candidateCount
    var out = dataset
    for n in 0..<pairs {
        if n % 256 == 0 { try control.checkpoint(n, of: pairs) }
        let rowSeed = rng.next()
        var r = RNG(seed: rowSeed)
        let prompt = r.int(below: task.promptCount)
        let i = r.int(below: k)
        var j = r.int(below: k - 1)
        if j >= i { j += 1 }
        var (a, b) = (
            task.response(prompt: prompt, test: false, candidate: i),
            task.response(prompt: prompt, test: false, candidate: j)
        )
        let verdict = annotator.judge(
            gold: task.gold(prompt: prompt, test: false, candidate: i), length: Annotator.length(a[...]),
            over: task.gold(prompt: prompt, test: false, candidate: j), length: Annotator.length(b[...]), rng: &r)
        if !verdict.prefersFirst { swap(&a, &b) }
        let label = verdict.label(of: annotator)
        out.append(
            prompt: prompt, chosen: a, rejected: b, annotator: label, seed: rowSeed, disagreement: verdict.disagreement)
    }
    try control.checkpoint(pairs, of: pairs)
    return out
}
