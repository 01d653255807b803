import Engine
import Models
import Sentiment
import Testing

@testable import Alignment

/// A text world small enough to replay by hand: a corpus of a's and z's (so `LetterScorer` gives varied gold), a
/// one-layer GPT over its characters with a context of exactly prompt + continuation, and a task with 4-character
/// prompts and 6-character continuations.
enum AZWorld {
    static let corpus: Corpus = {
        do {
            return try Corpus(text: "za az aaz zza a z zaza azaz zz aa zaz aza za zzz aaa az za", split: 0.6)
        } catch { fatalError("\(error)") }
    }()

    static func task(scorer: any SentimentScorer = LetterScorer()) throws -> TextTask {
        var rng = RNG(seed: 5)
        return try TextTask(
            corpus: corpus, tokenizer: corpus.tokenizer, promptLength: 4, continuation: 6, count: 8, testCount: 3,
            objective: .positive, scorer: scorer, rng: &rng)
    }

    static func policy(context: Int = 10, vocab: Int = corpus.tokenizer.count) -> GPT {
        var rng = RNG(seed: 9)
        return GPT(config: GPTConfig(vocab: vocab, layers: 1, heads: 2, dim: 8, context: context), rng: &rng)
    }

    static func collect(
        _ annotator: Annotator, pairs: Int = 12, sampling: TextSampling? = nil, task: TextTask? = nil,
        into: PreferenceDataset = PreferenceDataset(), seed: UInt64 = 21
    ) throws -> PreferenceDataset {
        var rng = RNG(seed: seed)
        return try Alignment.collect(
            task: task ?? self.task(), policy: policy(), annotator: annotator, pairs: pairs,
            sampling: try sampling ?? TextSampling(), into: into, rng: &rng)
    }
}

/// A scorer that finds no sentiment anywhere: only a length bias can separate two continuations.
struct FlatScorer: SentimentScorer {
    var name: String { "flat" }
    func compound(_ text: String) -> Double { 0 }
}

/// Each row is replayed from its seed alone, as the documentation promises: the row seeds are the outer generator's
/// draws in order; each row's generator picks a training prompt, samples two continuations, then the oracle's
/// judgement is P = 1, 0 or ½ (hand rule) against one uniform draw.
@Test(arguments: [
    try TextSampling(), try TextSampling(temperature: 0.5, topK: 2), try TextSampling(temperature: 0),
])
func textRowsReplayFromTheirSeeds(sampling: TextSampling) throws {
    let task = try AZWorld.task(), policy = AZWorld.policy()
    let data = try AZWorld.collect(.oracle, sampling: sampling)
    var outer = RNG(seed: 21)
    #expect(data.count == 12)
    #expect(data.rows.map(\.uid) == Array(1...12))
    for row in data.rows {
        #expect(row.seed == outer.next())
        var r = RNG(seed: row.seed)
        let prompt = r.int(below: 8)
        let drawn = try policy.sample(
            prompt: task.prompts[prompt], tokens: 6, temperature: Float(sampling.temperature), topK: sampling.topK,
            n: 2, rng: &r)
        let (a, b) = (task.tokenizer.decode(drawn[0]), task.tokenizer.decode(drawn[1]))
        let (ga, gb) = (LetterScorer().compound(a), LetterScorer().compound(b))
        let first = r.uniform() < (ga > gb ? 1 : ga < gb ? 0 : 0.5)
        #expect(row.prompt == prompt)
        #expect(row.chosen == (first ? drawn[0] : drawn[1]).map(Float.init))
        #expect(row.rejected == (first ? drawn[1] : drawn[0]).map(Float.init))
        #expect(row.text == PreferenceText(prompt: task.promptText(prompt), chosen: first ? a : b, rejected: first ? b : a))
        #expect(row.sampling == sampling)
        #expect(row.annotator == "oracle")
        #expect(row.disagreement == 0)
    }
}

/// The words of a text, as a length-biased annotator counts them: maximal runs of non-whitespace characters.
@Test(arguments: [("", 0), ("a", 1), ("a b", 2), ("  a  b ", 2), ("ab\ncd\tef", 3), ("z, a!", 2), ("   ", 0)])
func wordsAreRunsOfNonWhitespace(text: String, words: Float) {
    #expect(Annotator.length(words: text) == words)
}

/// With gold flat, `Biased(toward: "length", weight: w)` prefers a with P = σ(w · (words(a) − words(b))), which at
/// w = 1000 is exactly 1 or 0 in Float whenever the word counts differ: every row's chosen text has at least as many
/// words as its rejected text, and strictly more wherever they differ — and the weight −1000 reverses it.
@Test(arguments: [1000.0, -1000.0])
func aLengthBiasedAnnotatorCountsWords(weight: Double) throws {
    let task = try AZWorld.task(scorer: FlatScorer())
    let data = try AZWorld.collect(.biased(toward: "length", weight: weight), pairs: 40, task: task)
    let pairs = data.rows.compactMap(\.text).map { (Annotator.length(words: $0.chosen), Annotator.length(words: $0.rejected)) }
    #expect(pairs.count == 40)
    #expect(pairs.allSatisfy { weight > 0 ? $0.0 >= $0.1 : $0.0 <= $0.1 })
    #expect(pairs.contains { $0.0 != $0.1 })
}

/// label_agreement on text: the fraction of rows whose chosen continuation has strictly higher gold, counted here
/// from the rows' stored text with the hand scorer; the oracle's rows agree except on ties.
@Test(arguments: [
    Annotator.oracle, .coin, .bradleyTerry(noise: 0.3, temperature: 0.1), .panel([.oracle, .coin, .coin]),
])
func labelAgreementCountsRowsRankedRightByGold(annotator: Annotator) throws {
    let task = try AZWorld.task()
    let data = try AZWorld.collect(annotator, pairs: 30)
    let right = data.rows.compactMap(\.text).filter {
        LetterScorer().compound($0.chosen) > LetterScorer().compound($0.rejected)
    }
    #expect(try goldAgreement(data, task: task) == Double(right.count) / 30)
    if annotator == .oracle {
        let ties = data.rows.compactMap(\.text).filter {
            LetterScorer().compound($0.chosen) == LetterScorer().compound($0.rejected)
        }
        #expect(right.count + ties.count == 30)
    }
}

/// A panel's rows record how its members split, as on vector tasks.
@Test func panelRowsRecordTheirSplit() throws {
    let data = try AZWorld.collect(.panel([.oracle, .coin, .coin]), pairs: 20)
    for row in data.rows {
        let agreeing = row.annotator.hasSuffix(": 3 of 3") ? 3 : 2
        #expect(row.annotator == "panel(oracle, coin, coin): \(agreeing) of 3")
        #expect(row.disagreement == Double(3 - agreeing) / 3)
    }
}

/// `into` keeps its rows and uids; new rows continue the uid counter.
@Test func collectAppendsToTextPreferences() throws {
    let first = try AZWorld.collect(.oracle, pairs: 3)
    let both = try AZWorld.collect(.oracle, pairs: 2, into: first, seed: 22)
    #expect(Array(both.rows.prefix(3)) == first.rows)
    #expect(both.rows.map(\.uid) == [1, 2, 3, 4, 5])
}

/// A policy that cannot read the task, a zero pair count, and vector preferences as `into` are refused.
@Test func collectRefusesWhatCannotBeText() throws {
    let task = try AZWorld.task()
    func attempt(_ policy: GPT, pairs: Int = 1, into: PreferenceDataset = PreferenceDataset()) throws {
        var rng = RNG(seed: 1)
        _ = try collect(
            task: task, policy: policy, annotator: .oracle, pairs: pairs, sampling: TextSampling(), into: into,
            rng: &rng)
    }
    #expect(
        throws: AlignmentError.shapeMismatch(
            "a prompt of 4 tokens and a continuation of 6 need a context of 10, the policy's is 9")
    ) { try attempt(AZWorld.policy(context: 9)) }
    #expect(throws: AlignmentError.shapeMismatch("the policy reads 7 tokens but the task's vocabulary has 3")) {
        try attempt(AZWorld.policy(vocab: 7))
    }
    #expect(throws: AlignmentError.invalidArgument("collect needs pairs ≥ 1, got 0")) {
        try attempt(AZWorld.policy(), pairs: 0)
    }
    let vectors = PreferenceDataset(rows: [
        PreferencePair(uid: 1, prompt: 0, chosen: [1, 2], rejected: [3, 4], annotator: "oracle", seed: 1)
    ])
    #expect(throws: AlignmentError.shapeMismatch("dataset holds vector preferences; text pairs cannot join them")) {
        try attempt(AZWorld.policy(), into: vectors)
    }
}

/// Sampling settings are stored by name on every row and read back exactly; bad ones are refused.
@Test(arguments: [
    ("temperature: 1.0", try TextSampling()), ("temperature: 0.7, top_k: 5", try TextSampling(temperature: 0.7, topK: 5)),
    ("temperature: 0.0", try TextSampling(temperature: 0)),
])
func samplingSettingsRoundTripThroughTheirNames(name: String, sampling: TextSampling) throws {
    #expect(sampling.name == name)
    #expect(try TextSampling(name: name) == sampling)
}

@Test(arguments: [
    ("temperature: x", "unknown sampling settings 'temperature: x'"),
    ("top_k: 5", "unknown sampling settings 'top_k: 5'"),
    ("temperature: 1.0, top_k: 0", "sampling top_k must be ≥ 1, got 0"),
    ("temperature: -1.0", "sampling temperature must be finite and ≥ 0, got -1.0"),
    ("temperature: 1.0, top_p: 3", "unknown sampling settings 'temperature: 1.0, top_p: 3'"),
])
func badSamplingSettingsAreRefused(name: String, message: String) {
    #expect(throws: AlignmentError.invalidArgument(message)) { try TextSampling(name: name) }
}
