import Engine
import Models
import Sentiment

/// Ziegler et al. (2019)'s "mock sentiment" task on a character-level language model: each prompt is a snippet of a
/// corpus, the policy writes a continuation of `continuation` tokens, and the hidden gold is a published sentiment
/// model's score of the continuation alone (positive for `.positive`, negated for `.negative`).
///
/// ```swift
/// var rng = RNG(seed: 3)
/// let task = try TextTask(
///     corpus: corpus, tokenizer: corpus.tokenizer, promptLength: 32, continuation: 32, count: 256, testCount: 64,
///     objective: .positive, scorer: Vader(), rng: &rng)
/// let gold = task.gold(tokens: continuationIDs)  // the scorer's compound score of the decoded continuation
/// ```
///
/// Every prompt is exactly `promptLength` tokens (one per character) and ends at a word boundary: its last character
/// is not whitespace and the corpus's next one is. Equal lengths let a batch of prompt + continuation sequences share
/// one shape. Training prompts come from the corpus's training half and held-out prompts from its validation half, so
/// a policy is evaluated on text its pretraining never saw.
public struct TextTask: Sendable {
    /// Which way the gold reward points.
    public enum Objective: String, Sendable, CaseIterable {
        case positive
        case negative

        /// +1 or −1: the factor applied to the scorer's compound score.
        public var sign: Double { self == .positive ? 1 : -1 }
    }

    /// The policy's vocabulary; prompts are token ids under it.
    public let tokenizer: CharTokenizer
    /// Tokens (characters) in every prompt.
    public let promptLength: Int
    /// Tokens the policy writes after each prompt.
    public let continuation: Int
    public let objective: Objective
    /// The hidden judge.
    public let scorer: any SentimentScorer
    /// Training prompts, `promptLength` token ids each.
    public let prompts: [[Int]]
    /// Held-out prompts, never trained on.
    public let testPrompts: [[Int]]

    /// Draws `count` training prompts from the corpus's training half and `testCount` held-out ones from its
    /// validation half, in that order, each at a uniformly random end position among the halves' word boundaries.
    ///
    /// Refuses a prompt length or continuation below 1, counts below 1, and a corpus whose halves hold no word boundary
    /// after `promptLength` characters; a corpus character outside `tokenizer` is the tokenizer's error.
    public init(
        corpus: Corpus, tokenizer: CharTokenizer, promptLength: Int, continuation: Int, count: Int, testCount: Int,
        objective: Objective, scorer: any SentimentScorer, rng: inout RNG
    ) throws {
        guard promptLength >= 1, continuation >= 1 else {
            throw AlignmentError.invalidArgument(
                "TextTask needs prompt and continuation lengths ≥ 1, got \(promptLength) and \(continuation)")
        }
        guard count >= 1, testCount >= 1 else {
            throw AlignmentError.invalidArgument(
                "TextTask needs at least one prompt and one test prompt, got \(count) and \(testCount)")
        }
        self.tokenizer = tokenizer
        self.promptLength = promptLength
        self.continuation = continuation
        self.objective = objective
        self.scorer = scorer
        let whitespace = tokenizer.vocabulary.map { $0.properties.isWhitespace }
        func draw(_ part: Corpus.Part, _ n: Int, rng: inout RNG) throws -> [[Int]] {
            let tokens = Array(try corpus.tokens(part, for: tokenizer))
            // End positions e (exclusive) with a whole window before them, a word's last character at e − 1 and
            // whitespace at e.
            let ends = tokens.indices.dropFirst(promptLength).filter { e in
                whitespace[tokens[e]] && !whitespace[tokens[e - 1]]
            }
            guard !ends.isEmpty else {
                throw AlignmentError.emptyDataset(
                    "the corpus's \(part.rawValue) half has no word ending after \(promptLength) "
                        + "character\(promptLength == 1 ? "" : "s")")
            }
            return (0..<n).map { _ in
                let end = ends[rng.int(below: ends.count)]
                return Array(tokens[(end - promptLength)..<end])
            }
        }
        prompts = try draw(.train, count, rng: &rng)
        testPrompts = try draw(.validation, testCount, rng: &rng)
    }

    /// The prompts of one split.
    public func prompts(test: Bool) -> [[Int]] { test ? testPrompts : prompts }

    /// The text of prompt `i` (of the held-out prompts when `test`).
    public func promptText(_ i: Int, test: Bool = false) -> String {
        tokenizer.decode(prompts(test: test)[i])
    }

    /// Hidden gold reward of a continuation: the scorer's compound score, negated for a `.negative` objective.
    public func gold(_ continuation: String) -> Double {
        objective.sign * scorer.compound(continuation)
    }

    /// Hidden gold reward of a continuation given as token ids (each in `0..<tokenizer.count`).
    public func gold(tokens: [Int]) -> Double { gold(tokenizer.decode(tokens)) }
}
