import Engine
import Models

/// The words of a text preference, as the annotator read them: the prompt and the two continuations.
public struct PreferenceText: Sendable, Equatable, Hashable {
    public var prompt: String
    public var chosen: String
    public var rejected: String

    public init(prompt: String, chosen: String, rejected: String) {
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
    }
}

/// One pairwise judgement: `chosen` was preferred to `rejected` as a response to prompt `prompt`.
///
/// A vector task's responses are vectors. A text task's are continuations: `text` holds the prompt and both
/// continuations as text, and `chosen` and `rejected` hold the continuations' token ids (exact in a `Float` below
/// 2²⁴), so a reward model reads the tokens and `blame`, `diff` and `query` show the words.
public struct PreferencePair: Sendable, Equatable {
    /// Unique within its dataset and kept forever: versions of a dataset are sets of uids.
    public var uid: Int64
    public var prompt: Int
    public var chosen: [Float]
    public var rejected: [Float]
    /// Who judged it (e.g. `bradleyTerry(noise: 0.05)`).
    public var annotator: String
    /// Seed of the generator that drew this row's responses and judgement: the row can be redrawn from it alone.
    public var seed: UInt64
    /// Fraction of a panel's members who voted against the verdict (0 for a single annotator).
    public var disagreement: Double
    /// The prompt and continuations of a text preference; nil for vector responses.
    public var text: PreferenceText?
    /// How the policy drew a text preference's continuations (with `seed`, the policy and the task, they can be
    /// drawn again); nil for vector responses.
    public var sampling: TextSampling?

    public init(
        uid: Int64, prompt: Int, chosen: [Float], rejected: [Float], annotator: String, seed: UInt64,
        disagreement: Double = 0, text: PreferenceText? = nil, sampling: TextSampling? = nil
    ) {
        self.disagreement = disagreement
        self.text = text
        self.sampling = sampling
        self.uid = uid
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
        self.annotator = annotator
        self.seed = seed
    }
}

extension PreferencePair {
    /// The continuations' token ids: the stored ones, or, for a text pair imported without them (both empty), its
    /// words encoded by `tokenizer` (a character-level tokenizer's ids are its characters'). `function` names the
    /// built-in in an error.
    func continuationTokens(_ tokenizer: CharTokenizer, function: String) throws -> (chosen: [Float], rejected: [Float])
    {
        guard let text, chosen.isEmpty, rejected.isEmpty else { return (chosen, rejected) }
        do {
            return (
                try tokenizer.encode(text.chosen).map(Float.init), try tokenizer.encode(text.rejected).map(Float.init)
            )
        } catch {
            throw AlignmentError.shapeMismatch(
                "\(function): the continuations of preference \(uid) do not fit the model's vocabulary: \(error)")
        }
    }
}

/// A set of preference pairs; a value, so each version the store keeps is just the rows alive at that moment.
public struct PreferenceDataset: Sendable, Equatable {
    public private(set) var rows: [PreferencePair]
    /// The uid the next added row receives.
    public private(set) var nextUID: Int64

    public init(rows: [PreferencePair] = []) {
        self.rows = rows
        nextUID = (rows.map(\.uid).max() ?? 0) + 1
    }

    /// A dataset edited from another: `nextUID` is kept, so a removed row's uid is never given to a new row.
    public init(rows: [PreferencePair], nextUID: Int64) {
        self.rows = rows
        self.nextUID = max(nextUID, (rows.map(\.uid).max() ?? 0) + 1)
    }

    public var count: Int { rows.count }
    /// Mean per-row disagreement of the panels that labelled the rows (0 for single annotators).
    public var disagreement: Double { rows.isEmpty ? 0 : rows.reduce(0) { $0 + $1.disagreement } / Double(rows.count) }

    /// The rows at `indices`, in that order, keeping the uid counter (for held-out splits).
    public func subset(_ indices: [Int]) -> PreferenceDataset {
        var d = PreferenceDataset(rows: indices.map { rows[$0] })
        d.nextUID = max(d.nextUID, nextUID)
        return d
    }
    public var dim: Int { rows.first?.chosen.count ?? 0 }

    /// Refuses to add vector pairs to text preferences: their token ids would be read as response vectors.
    func checkVectorRows() throws {
        if rows.first?.text != nil {
            throw AlignmentError.shapeMismatch("dataset holds text preferences; vector pairs cannot join them")
        }
    }

    mutating func append(
        prompt: Int, chosen: [Float], rejected: [Float], annotator: String, seed: UInt64,
        disagreement: Double = 0, text: PreferenceText? = nil, sampling: TextSampling? = nil
    ) {
        rows.append(
            PreferencePair(
                uid: nextUID, prompt: prompt, chosen: chosen, rejected: rejected, annotator: annotator,
                seed: seed, disagreement: disagreement, text: text, sampling: sampling))
        nextUID += 1
    }

    /// The rows at `indices` as one [2n, dim] matrix: their rejected responses, then their chosen ones.
    func stackedBatch(_ indices: [Int]) -> Tensor {
        let (d, n) = (dim, indices.count)
        let data = [Float](unsafeUninitializedCapacity: 2 * n * d) { out, initialized in
            guard let dst = out.baseAddress else { return }
            for (k, i) in indices.enumerated() {
                precondition(
                    rows[i].rejected.count == d && rows[i].chosen.count == d, "stackedBatch: row \(i) is not \(d) wide")
                rows[i].rejected.withUnsafeBufferPointer { src in
                    if let r = src.baseAddress { (dst + k * d).initialize(from: r, count: d) }
                }
                rows[i].chosen.withUnsafeBufferPointer { src in
                    if let c = src.baseAddress { (dst + (n + k) * d).initialize(from: c, count: d) }
                }
            }
            initialized = 2 * n * d
        }
        return Tensor(shape: [2 * n, d], data: data)
    }

    /// Fraction of pairs whose chosen response `score` rates strictly higher than the rejected one. Scores in slices
    /// of 512 pairs, so the responses and activations of a slice stay in cache instead of filling fresh pages.
    func fractionRankedRight(by score: (Tensor) -> [Float]) -> Double {
        guard count > 0 else { return 0 }
        var right = 0
        let slice = 512
        for start in stride(from: 0, to: count, by: slice) {
            let n = min(slice, count - start)
            let s = score(stackedBatch(Array(start..<(start + n))))  // rejected scores, then chosen scores
            right += (0..<n).filter { s[n + $0] > s[$0] }.count
        }
        return Double(right) / Double(count)
    }

    /// Chosen and rejected responses of the rows at `indices`, as two [n, dim] matrices.
    func batch(_ indices: [Int]) -> (chosen: Tensor, rejected: Tensor) {
        (Tensor.stack(rows: indices.map { rows[$0].chosen }), Tensor.stack(rows: indices.map { rows[$0].rejected }))
    }

}

/// Simulated feedback (the seed's Slide 4, with annotators that look at the responses).
///
/// Each pair draws a prompt and two responses: two distinct fixed candidates of the task, or — when `policy` is given —
/// two samples `policy(prompt) + σ·ε` around the policy's answer, which is how Slide 7's later rounds ask about what the
/// current policy actually says. The annotator judges them by the hidden gold reward. New rows are appended to `into`;
/// a row stores what a reward model reads (`VectorTask.reading`: a contextual task's rows hold the prompt too).
public func collect(
    task: VectorTask, policy: PolicyModel?, annotator: Annotator, pairs: Int,
    into dataset: PreferenceDataset = PreferenceDataset(), rng: inout RNG,
    control: TrainingControl = TrainingControl()
) throws -> PreferenceDataset {
    guard pairs >= 1 else { throw AlignmentError.invalidArgument("collect needs pairs ≥ 1, got \(pairs)") }
    if let policy { try task.check(policy: policy) }
    try dataset.checkVectorRows()
    if dataset.count > 0 { try task.check(dataset) }
    let means = policy.map { $0(task.prompts) }  // [promptCount, dim]
    var out = dataset
    for n in 0..<pairs {
        if n % 256 == 0 { try control.checkpoint(n, of: pairs) }
        let rowSeed = rng.next()
        var r = RNG(seed: rowSeed)
        let (prompt, ya, yb) = task.drawPair(means: means, rng: &r)
        let verdict = task.judge(ya, yb, prompt: prompt, by: annotator, rng: &r)
        let x = task.prompts.rowSlice(prompt)
        var (a, b) = (task.reading(prompt: x, response: ya), task.reading(prompt: x, response: yb))
        if !verdict.prefersFirst { swap(&a, &b) }
        // A panel's row says how its members split, so the split is stored with the row.
        let label = verdict.label(of: annotator)
        out.append(
            prompt: prompt, chosen: a, rejected: b, annotator: label, seed: rowSeed, disagreement: verdict.disagreement)
    }
    try control.checkpoint(pairs, of: pairs)
    return out
}
