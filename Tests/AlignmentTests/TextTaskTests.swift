import Engine
import Models
import Sentiment
import Testing

@testable import Alignment

/// A scorer whose values are countable by hand: a tenth of the number of `a`s, minus a tenth of the `z`s.
struct LetterScorer: SentimentScorer {
    var name: String { "letters" }
    func compound(_ text: String) -> Double {
        Double(text.filter { $0 == "a" }.count - text.filter { $0 == "z" }.count) / 10
    }
}

/// "one two three four five six" (27 characters) split at 0.5: the training half is its first Int(27 · 0.5) = 13
/// characters, "one two three", and the validation half the other 14, " four five six". A word boundary is an end
/// position whose previous character is a letter and whose own is a space, so the training half's ends are 3 and 7
/// (not 13, the half's end), the validation half's 5 and 10 (counted within the half).
enum SixWords {
    static let corpus: Corpus = {
        do { return try Corpus(text: "one two three four five six", split: 0.5) } catch { fatalError("\(error)") }
    }()

    static func task(
        _ corpus: Corpus = SixWords.corpus, promptLength: Int, continuation: Int = 4, count: Int = 40, testCount: Int = 40,
        objective: TextTask.Objective = .positive, seed: UInt64 = 11
    ) throws -> TextTask {
        var rng = RNG(seed: seed)
        return try TextTask(
            corpus: corpus, tokenizer: corpus.tokenizer, promptLength: promptLength, continuation: continuation,
            count: count,
            testCount: testCount, objective: objective, scorer: LetterScorer(), rng: &rng)
    }
}

/// Every window of `promptLength` characters that ends at one of the boundaries listed in `SixWords`, per half.
@Test(arguments: [
    (3, ["one", "two"], ["our", "ive"]),
    (4, [" two"], ["four", "five"]),
    (5, ["e two"], [" four", " five"]),
    (6, ["ne two"], ["r five"]),
    (7, ["one two"], ["ur five"]),
])
func promptsAreTheWindowsEndingAtWordBoundaries(promptLength: Int, train: [String], test: [String]) throws {
    let task = try SixWords.task(promptLength: promptLength)
    let prompts = task.prompts.indices.map { task.promptText($0) }
    let testPrompts = task.testPrompts.indices.map { task.promptText($0, test: true) }
    #expect(task.prompts.count == 40 && task.testPrompts.count == 40)
    #expect(task.prompts.allSatisfy { $0.count == promptLength })
    #expect(task.testPrompts.allSatisfy { $0.count == promptLength })
    // 40 uniform draws over at most two windows miss one with probability 2⁻³⁹: every window appears, nothing else.
    #expect(Set(prompts) == Set(train))
    #expect(Set(testPrompts) == Set(test))
}

/// The draws, replayed by hand: `count` indices into the training half's boundaries, then `testCount` into the
/// validation half's, each one `rng.int(below: boundaries)`.
@Test(arguments: [1, 2, 99])
func drawsFollowTheSeedInOrder(seed: UInt64) throws {
    let task = try SixWords.task(promptLength: 3, count: 5, testCount: 7, seed: seed)
    var rng = RNG(seed: seed)
    let train = (0..<5).map { _ in ["one", "two"][rng.int(below: 2)] }
    let test = (0..<7).map { _ in ["our", "ive"][rng.int(below: 2)] }
    #expect(task.prompts.indices.map { task.promptText($0) } == train)
    #expect(task.testPrompts.indices.map { task.promptText($0, test: true) } == test)
    let again = try SixWords.task(promptLength: 3, count: 5, testCount: 7, seed: seed)
    #expect(again.prompts == task.prompts && again.testPrompts == task.testPrompts)
}

/// Gold is the scorer's value of the continuation alone (a tenth of its a's minus its z's, counted by hand), negated
/// for a negative objective; `gold(tokens:)` decodes first. The corpus "aa zz az a z" has the vocabulary " ", "a", "z"
/// (ids 0, 1, 2).
@Test(arguments: [
    ([1, 1, 1], TextTask.Objective.positive, "aaa", 0.3),
    ([1, 1, 1], .negative, "aaa", -0.3),
    ([1, 0, 2, 2], .positive, "a zz", -0.1),
    ([1, 0, 2, 2], .negative, "a zz", 0.1),
    ([0, 0], .positive, "  ", 0.0),
])
func goldIsTheSignedScoreOfTheContinuation(
    tokens: [Int], objective: TextTask.Objective, text: String, gold: Double
) throws {
    let corpus = try Corpus(text: "aa zz az a z", split: 0.5)
    let task = try SixWords.task(corpus, promptLength: 1, count: 1, testCount: 1, objective: objective)
    #expect(task.tokenizer.decode(tokens) == text)
    #expect(task.gold(text) == gold)
    #expect(task.gold(tokens: tokens) == gold)
}

/// Bad lengths and counts, halves without a word ending after the prompt's length, and a corpus the tokenizer cannot
/// read are refused with the message a user sees. "one two three four five six" split at 0.8 leaves "ve six" for
/// validation: its only boundary is at 2.
@Test(arguments: [
    (0, 4, 1, 1, 0.5, AlignmentError.invalidArgument("TextTask needs prompt and continuation lengths ≥ 1, got 0 and 4")),
    (3, 0, 1, 1, 0.5, .invalidArgument("TextTask needs prompt and continuation lengths ≥ 1, got 3 and 0")),
    (3, 4, 0, 1, 0.5, .invalidArgument("TextTask needs at least one prompt and one test prompt, got 0 and 1")),
    (3, 4, 1, 0, 0.5, .invalidArgument("TextTask needs at least one prompt and one test prompt, got 1 and 0")),
    (8, 4, 1, 1, 0.5, .emptyDataset("the corpus's train half has no word ending after 8 characters")),
    (3, 4, 1, 1, 0.8, .emptyDataset("the corpus's validation half has no word ending after 3 characters")),
])
func badLengthsCountsAndCorporaAreRefused(
    promptLength: Int, continuation: Int, count: Int, testCount: Int, split: Double, error: AlignmentError
) throws {
    let corpus = try Corpus(text: "one two three four five six", split: split)
    #expect(throws: error) {
        try SixWords.task(
            corpus, promptLength: promptLength, continuation: continuation, count: count, testCount: testCount)
    }
}

/// A text without whitespace has no word boundary at all.
@Test func aCorpusWithoutBoundariesIsRefused() throws {
    let corpus = try Corpus(text: "abcdefghij", split: 0.5)
    #expect(throws: AlignmentError.emptyDataset("the corpus's train half has no word ending after 1 character")) {
        try SixWords.task(corpus, promptLength: 1)
    }
}

/// A corpus character outside the policy's vocabulary is the tokenizer's error, at its offset in the whole text.
@Test func aCorpusTheTokenizerCannotReadIsRefused() throws {
    let tokenizer = try CharTokenizer(vocabulary: Array("eno ".unicodeScalars.sorted { $0.value < $1.value }))
    var rng = RNG(seed: 1)
    #expect(throws: TokenizerError.unknownCharacter("t", offset: 4)) {
        try TextTask(
            corpus: SixWords.corpus, tokenizer: tokenizer, promptLength: 3, continuation: 1, count: 1, testCount: 1,
            objective: .positive, scorer: LetterScorer(), rng: &rng)
    }
}
