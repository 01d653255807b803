import Engine
import Models

/// k reward models trained on bootstrap resamples of the same preferences. Their mean is the ensemble's score; the
/// spread of their opinions about a pair is how unsure the ensemble is about it, which active querying exploits.
public struct RewardEnsemble: Sendable, Equatable {
    public var members: [RewardModel]

    public init(members k: Int, input: Int, hidden: Int, rng: inout RNG) throws {
        guard k >= 2 else { throw AlignmentError.invalidArgument("an ensemble needs at least 2 members, got \(k)") }
        members = (0..<k).map { _ in RewardModel(input: input, hidden: hidden, rng: &rng) }
    }

    public init(members: [RewardModel]) {
        self.members = members
    }

    public var input: Int { members.first?.input ?? 0 }
    public var hidden: Int { members.first?.hidden ?? 0 }

    /// Mean member score of each response ([n, input] → n scores).
    public func scores(_ responses: Tensor) -> [Float] {
        let all = members.map { $0.scores(responses) }
        return (0..<responses.rows).map { i in all.reduce(0) { $0 + $1[i] } / Float(members.count) }
    }

    /// Standard deviation across members of the margin r(a) − r(b), for each row pair of `a` and `b`.
    public func disagreement(_ a: Tensor, _ b: Tensor) -> [Double] {
        marginStatistics(a, b).map(\.std)
    }

    /// How unsure the ensemble is which of a and b ranks higher: the members' spread of margins relative to their mean
    /// margin, std / |mean|. A pair whose members all put the same response first scores low however much they differ
    /// on by how much; this is the score active querying ranks by.
    public func rankingUncertainty(_ a: Tensor, _ b: Tensor) -> [Double] {
        marginStatistics(a, b).map { $0.std / (abs($0.mean) + 1e-6) }
    }

    private func marginStatistics(_ a: Tensor, _ b: Tensor) -> [(mean: Double, std: Double)] {
        let margins = members.map { m in zip(m.scores(a), m.scores(b)).map { Double($0 - $1) } }
        return (0..<a.rows).map { i in
            let mean = margins.reduce(0) { $0 + $1[i] } / Double(members.count)
            let variance = margins.reduce(0) { $0 + ($1[i] - mean) * ($1[i] - mean) } / Double(members.count)
            return (mean, variance.squareRoot())
        }
    }

    /// Trains every member on its own bootstrap resample (n draws with replacement) of `data`. Returns per epoch the
    /// members' mean `loss` and the ensemble's `accuracy` on all of `data`.
    public mutating func fit(
        on data: PreferenceDataset, epochs: Int, lr: Double, batch: Int, rng: inout RNG,
        control: TrainingControl = TrainingControl()
    ) throws -> [Metric] {
        guard data.count > 0 else {
            throw AlignmentError.emptyDataset("fit needs at least one preference pair; the dataset is empty")
        }
        var losses = [Double](repeating: 0, count: epochs)
        for k in members.indices {
            let sample = data.subset((0..<data.count).map { _ in rng.int(below: data.count) })
            let m = try Alignment.fit(
                &members[k], on: sample, epochs: epochs, lr: lr, batch: batch, rng: &rng, control: control)
            for p in m where p.name == "loss" { losses[p.step] += p.value / Double(members.count) }
        }
        let accuracy = ensembleAccuracy(on: data)
        return losses.enumerated().map { Metric("loss", step: $0, $1) } + [
            Metric("accuracy", step: epochs - 1, accuracy)
        ]
    }

    /// Fraction of pairs the ensemble's mean score ranks the annotator's way.
    public func ensembleAccuracy(on data: PreferenceDataset) -> Double {
        data.fractionRankedRight(by: scores)
    }

    /// Fraction of pairs the ensemble's mean score ranks the way the hidden gold reward does.
    public func goldAgreement(on data: PreferenceDataset, task: VectorTask) throws -> Double {
        guard data.count > 0 else {
            throw AlignmentError.emptyDataset("gold agreement needs at least one preference pair")
        }
        guard input == task.responseDim, data.dim == task.responseDim else {
            throw AlignmentError.shapeMismatch(
                "ensemble reads \(input) values, preferences hold \(data.dim), the task's responses have \(task.responseDim)"
            )
        }
        let (c, r) = data.batch(Array(0..<data.count))
        let margins = zip(scores(c), scores(r)).map { $0 - $1 }
        let gold = data.rows.map { task.gold(reading: $0.chosen[...]) - task.gold(reading: $0.rejected[...]) }
        return Double(zip(margins, gold).filter { ($0 > 0 && $1 > 0) || ($0 < 0 && $1 < 0) }.count) / Double(data.count)
    }

    /// Saved form: each member's tensors prefixed `memberK.`, optimiser state included.
    public var stateDict: StateDict {
        var tensors: [(name: String, tensor: Tensor)] = []
        var config: [(key: String, value: Int)] = [("members", members.count), ("input", input), ("hidden", hidden)]
        for (k, m) in members.enumerated() {
            let d = m.stateDict
            tensors += d.tensors.map { ("member\(k).\($0.name)", $0.tensor) }
            if let step = d.configValue("adam.step") { config.append(("member\(k).adam.step", step)) }
        }
        return StateDict(kind: "reward_ensemble", config: config, tensors: tensors)
    }

    /// The inverse of `stateDict`: member k's tensors and Adam step are those prefixed `memberK.`.
    public init(stateDict dict: StateDict) throws {
        guard dict.kind == "reward_ensemble" else {
            throw StateDictError.wrongKind(expected: "reward_ensemble", got: dict.kind)
        }
        func config(_ key: String) throws -> Int {
            guard let value = dict.configValue(key) else { throw StateDictError.missingConfig(key) }
            return value
        }
        let (count, input, hidden) = (try config("members"), try config("input"), try config("hidden"))
        members = try (0..<count).map { k -> RewardModel in
            let prefix = "member\(k)."
            var config: [(key: String, value: Int)] = [("input", input), ("hidden", hidden), ("output", 1)]
            if let step = dict.configValue(prefix + "adam.step") { config.append(("adam.step", step)) }
            let tensors = dict.tensors.filter { $0.name.hasPrefix(prefix) }
                .map { (name: String($0.name.dropFirst(prefix.count)), tensor: $0.tensor) }
            return try RewardModel(stateDict: StateDict(kind: "reward", config: config, tensors: tensors))
        }
    }
}

/// Active querying: draws `pool` candidate pairs for every pair wanted, asks the ensemble how unsure it is which
/// response of each ranks higher (`rankingUncertainty`), and has the annotator label only the `pairs` most uncertain. Each row's generator draws its prompt and
/// responses exactly as `collect` does and then its judgement, so the row can be redrawn from its seed.
public func collectByUncertainty(
    task: VectorTask, policy: PolicyModel?, ensemble: RewardEnsemble, annotator: Annotator,
    pairs: Int, pool: Int, into dataset: PreferenceDataset = PreferenceDataset(),
    rng: inout RNG, control: TrainingControl = TrainingControl()
) throws -> PreferenceDataset {
    guard pairs >= 1 else { throw AlignmentError.invalidArgument("collect needs pairs ≥ 1, got \(pairs)") }
    guard pool >= 1 else { throw AlignmentError.invalidArgument("collect needs pool ≥ 1, got \(pool)") }
    guard ensemble.input == task.responseDim else {
        throw AlignmentError.shapeMismatch(
            "ensemble reads \(ensemble.input) values but the task's responses have \(task.responseDim)")
    }
    if let policy { try task.check(policy: policy) }
    try dataset.checkVectorRows()
    if dataset.count > 0 { try task.check(dataset) }
    let means = policy.map { $0(task.prompts) }
    var drawn: [(seed: UInt64, generator: RNG, prompt: Int, a: [Float], b: [Float])] = []
    for n in 0..<(pairs * pool) {
        if n % 256 == 0 { try control.checkpoint(n, of: pairs * pool) }
        let seed = rng.next()
        var r = RNG(seed: seed)
        let (prompt, ya, yb) = task.drawPair(means: means, rng: &r)
        drawn.append((seed, r, prompt, ya, yb))
    }
    let source = task.prompts
    func read(_ i: Int, _ y: [Float]) -> [Float] { task.reading(prompt: source.rowSlice(drawn[i].prompt), response: y) }
    let spread = ensemble.rankingUncertainty(
        Tensor.stack(rows: drawn.indices.map { read($0, drawn[$0].a) }),
        Tensor.stack(rows: drawn.indices.map { read($0, drawn[$0].b) }))
    // Most uncertain first; ties keep draw order, so the choice is deterministic.
    let chosen = drawn.indices.sorted { spread[$0] != spread[$1] ? spread[$0] > spread[$1] : $0 < $1 }.prefix(pairs)
        .sorted()
    var out = dataset
    for i in chosen {
        var r = drawn[i].generator
        let verdict = task.judge(drawn[i].a, drawn[i].b, prompt: drawn[i].prompt, by: annotator, rng: &r)
        var (a, b) = (read(i, drawn[i].a), read(i, drawn[i].b))
        if !verdict.prefersFirst { swap(&a, &b) }
        let label = verdict.label(of: annotator)
        out.append(
            prompt: drawn[i].prompt, chosen: a, rejected: b, annotator: label, seed: drawn[i].seed,
            disagreement: verdict.disagreement)
    }
    try control.checkpoint(pairs * pool, of: pairs * pool)
    return out
}

extension VectorTask {
    /// One prompt and two responses, drawn as `collect` draws them: two samples around the policy's answer, or two
    /// distinct candidates.
    func drawPair(means: Tensor?, rng r: inout RNG) -> (prompt: Int, a: [Float], b: [Float]) {
        let prompt = r.int(below: promptCount)
        if let means {
            let mu = means.data[(prompt * dim)..<(prompt * dim + dim)]
            let a = mu.map { $0 + noise * r.normal() }
            let b = mu.map { $0 + noise * r.normal() }
            return (prompt, a, b)
        }
        let i = r.int(below: candidateCount)
        var j = r.int(below: candidateCount - 1)
        if j >= i { j += 1 }
        return (prompt, Array(candidates.rowSlice(i)), Array(candidates.rowSlice(j)))
    }

    /// The annotator's verdict on two responses to training prompt `prompt`, judged by that prompt's gold.
    func judge(_ a: [Float], _ b: [Float], prompt: Int, by annotator: Annotator, rng: inout RNG) -> Judgement {
        let u = direction(prompt: prompt, test: false)
        return annotator.judge(a[...], b[...], gold: { gold($0, direction: u) }, rng: &rng)
    }
}
