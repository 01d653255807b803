import Engine
import Models

/// A text to pretrain a language model on, as nanoGPT's `shakespeare_char` prepares it: one token per Unicode scalar
/// (the `CharTokenizer` of every scalar in the text), the first `split` of the tokens for training and the rest for
/// validation, and batches of windows at random offsets (nanoGPT's `get_batch`).
///
/// ```swift
/// let corpus = try Corpus(text: "First Citizen:\nBefore we proceed…", split: 0.9)
/// var rng = RNG(seed: 1)
/// let (x, y) = corpus.batch(.train, size: 12, context: 64, rng: &rng)  // y is x shifted by one token
/// ```
public struct Corpus: Sendable {
    /// The two halves of a corpus.
    public enum Part: String, Sendable {
        case train
        case validation
    }

    /// The whole text, kept so a model with another vocabulary can re-encode it (`tokens(for:)`).
    public let text: String
    /// The vocabulary of every scalar in the text.
    public let tokenizer: CharTokenizer
    /// The fraction of tokens in the training half.
    public let split: Double
    /// Token ids of the whole text under `tokenizer`, training half first.
    public let tokens: [Int]
    /// Tokens in the training half: `Int(Double(tokens.count) · split)`, as nanoGPT's `int(n * 0.9)`.
    public let trainCount: Int

    /// Reads `text`; an empty text or a split outside (0, 1) is refused.
    public init(text: String, split: Double) throws(AlignmentError) {
        guard split > 0, split < 1 else {
            throw .invalidArgument("a corpus split must be between 0 and 1 (exclusive), got \(split)")
        }
        guard !text.isEmpty else { throw .emptyDataset("the text is empty") }
        self.text = text
        self.split = split
        tokenizer = CharTokenizer(corpus: text)
        // Every scalar is in the vocabulary built from this very text, so encoding cannot fail.
        tokens = (try? tokenizer.encode(text)) ?? []
        trainCount = Int(Double(tokens.count) * split)
    }

    /// The tokens of one half.
    public func part(_ part: Part) -> ArraySlice<Int> {
        switch part {
        case .train: tokens[..<trainCount]
        case .validation: tokens[trainCount...]
        }
    }

    /// Token ids of one half under another model's vocabulary (the corpus's own ids when it is the same
    /// vocabulary); a character the vocabulary lacks is the tokenizer's error, its offset counted in the whole text.
    public func tokens(_ part: Part, for other: CharTokenizer) throws(TokenizerError) -> ArraySlice<Int> {
        if other == tokenizer { return self.part(part) }
        return try other.encode(text)[part == .train ? 0..<trainCount : trainCount..<tokens.count]
    }

    /// `size` windows of `context` tokens at uniformly random offsets into `tokens` (which must hold more than
    /// `context`), and the same windows shifted one token on: inputs and next-token targets, each `[size · context]`
    /// row-major. Draws `size` integers from `rng`, in row order.
    public static func batch(_ tokens: ArraySlice<Int>, size: Int, context: Int, rng: inout RNG)
        -> (inputs: [Int], targets: [Int])
    {
        var inputs: [Int] = []
        var targets: [Int] = []
        inputs.reserveCapacity(size * context)
        targets.reserveCapacity(size * context)
        for _ in 0..<size {
            let start = tokens.startIndex + rng.int(below: tokens.count - context)
            inputs += tokens[start..<(start + context)]
            targets += tokens[(start + 1)..<(start + context + 1)]
        }
        return (inputs, targets)
    }
}
