import Engine
import Models

/// Simulated feedback on text (Ziegler et al. 2019's setting): each pair is a random training prompt of the task and
/// two continuations the policy samples for it; the annotator judges them by the task's hidden gold (and, if biased
/// toward length, by their number of words). New rows are appended to `into`.
///
/// Every row draws from its own generator, seeded from `rng`: the prompt, then both continuations
/// (`GPT.sample(…, n: 2)` with the KV cache), then the judgement. The seed, `sampling`, the policy and the task draw the
/// row again. A row keeps the continuations' token ids as `chosen`/`rejected` and their text in `text`.
public func collect(
    task: TextTask, policy: GPT, annotator: Annotator, pairs: Int, sampling: TextSampling,
    into dataset: PreferenceDataset = PreferenceDataset(), rng: inout RNG, control: TrainingControl = TrainingControl()
) throws -> PreferenceDataset {
    guard pairs >= 1 else { throw AlignmentError.invalidArgument("collect needs pairs ≥ 1, got \(pairs)") }
    try task.check(policy: policy)
    if let row = dataset.rows.first, row.text == nil || row.chosen.count != task.continuation {
        throw AlignmentError.shapeMismatch(
            row.text == nil
                ? "dataset holds vector preferences; text pairs cannot join them"
                : "dataset holds continuations of \(row.chosen.count) tokens but the task's have \(task.continuation)")
    }
    var out = dataset
    for n in 0..<pairs {
        if n % 16 == 0 { try control.checkpoint(n, of: pairs) }
        let rowSeed = rng.next()
        var r = RNG(seed: rowSeed)
        let prompt = r.int(below: task.prompts.count)
        let drawn = try policy.sample(
            prompt: task.prompts[prompt], tokens: task.continuation, temperature: Float(sampling.temperature),
            topK: sampling.topK, n: 2, rng: &r)
        var (a, b) = (drawn[0], drawn[1])
        var (textA, textB) = (task.tokenizer.decode(a), task.tokenizer.decode(b))
        let verdict = annotator.judge(
            gold: Float(task.gold(textA)), length: Annotator.length(words: textA), over: Float(task.gold(textB)),
            length: Annotator.length(words: textB), rng: &r)
        if !verdict.prefersFirst {
            swap(&a, &b)
            swap(&textA, &textB)
        }
        let label = verdict.label(of: annotator)
        out.append(
            prompt: prompt, chosen: a.map(Float.init), rejected: b.map(Float.init), annotator: label, seed: rowSeed,
            disagreement: verdict.disagreement,
            text: PreferenceText(prompt: task.promptText(prompt), chosen: textA, rejected: textB), sampling: sampling)
    }
    try control.checkpoint(pairs, of: pairs)
    return out
}

/// Fraction of text rows whose chosen continuation the task's gold rates strictly higher than the rejected one: how
/// truthful the labels are. Reads the rows' token ids, so it needs rows of the task's continuation length.
public func goldAgreement(_ data: PreferenceDataset, task: TextTask) throws -> Double {
    guard data.count > 0 else { throw AlignmentError.emptyDataset("gold agreement needs at least one preference pair") }
    if let row = data.rows.first(where: { $0.text == nil }) {
        throw AlignmentError.shapeMismatch(
            "preference uid \(row.uid) holds vector responses, not text: a TextTask judges continuations")
    }
    for row in data.rows where row.chosen.count != task.continuation || row.rejected.count != task.continuation {
        throw AlignmentError.shapeMismatch(
            "preference uid \(row.uid) holds a continuation of \(row.chosen.count) tokens but the task's have "
                + "\(task.continuation)")
    }
    let right = try data.rows.filter { row in
        try task.gold(tokens: task.tokenIDs(row.chosen)) > task.gold(tokens: task.tokenIDs(row.rejected))
    }.count
    return Double(right) / Double(data.count)
}

extension TextTask {
    /// Refuses a policy whose vocabulary is not the task's or whose context cannot hold a prompt and its continuation.
    func check(policy: GPT) throws {
        guard policy.config.vocab == tokenizer.count else {
            throw AlignmentError.shapeMismatch(
                "the policy reads \(policy.config.vocab) tokens but the task's vocabulary has \(tokenizer.count)")
        }
        guard promptLength + continuation <= policy.config.context else {
            throw AlignmentError.shapeMismatch(
                "a prompt of \(promptLength) tokens and a continuation of \(continuation) need a context of "
                    + "\(promptLength + continuation), the policy's is \(policy.config.context)")
        }
    }

    /// Token ids stored as `Float`s (a text preference's `chosen`/`rejected`) back as ids, refusing any that is not
    /// one of the vocabulary's.
    func tokenIDs(_ values: [Float]) throws -> [Int] {
        try values.map { v in
            guard v >= 0, v < Float(tokenizer.count), v == v.rounded() else {
                throw AlignmentError.invalidArgument(
                    "\(v) is not a token id of the task's vocabulary of \(tokenizer.count)")
            }
            return Int(v)
        }
    }
}

extension Annotator {
    /// The "length" of a text continuation, as `Biased(toward: "length")` weighs it: its number of words (maximal runs
    /// of non-whitespace characters), so a judge biased toward length prefers wordier text, not merely longer tokens.
    public static func length(words text: String) -> Float {
        var words = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            let space = scalar.properties.isWhitespace
            if !space && !inWord { words += 1 }
            inWord = !space
        }
        return Float(words)
    }
}
