/// A character-level tokenizer: one token per Unicode scalar, ids in increasing scalar order, as nanoGPT's
/// `shakespeare_char` builds its vocabulary (`sorted(set(text))`).
public struct CharTokenizer: Sendable, Equatable, Hashable {
    /// The vocabulary, in id order (strictly increasing scalar values).
    public let vocabulary: [Unicode.Scalar]
    private let ids: [Unicode.Scalar: Int]

    /// The vocabulary of every scalar in `corpus`.
    public init(corpus: String) {
        let scalars = Set(corpus.unicodeScalars).sorted { $0.value < $1.value }
        self.init(sortedUnique: scalars)
    }

    /// A tokenizer with exactly this vocabulary, which must be strictly increasing (as every saved one is).
    public init(vocabulary: [Unicode.Scalar]) throws(TokenizerError) {
        guard !vocabulary.isEmpty else { throw .emptyVocabulary }
        for (a, b) in zip(vocabulary, vocabulary.dropFirst()) where a.value >= b.value {
            throw .unsortedVocabulary(b)
        }
        self.init(sortedUnique: vocabulary)
    }

    private init(sortedUnique vocabulary: [Unicode.Scalar]) {
        self.vocabulary = vocabulary
        ids = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
    }

    public var count: Int { vocabulary.count }

    /// Token ids of `text`; a character outside the vocabulary is an error naming it and its position.
    public func encode(_ text: String) throws(TokenizerError) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(text.unicodeScalars.count)
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            guard let id = ids[scalar] else { throw .unknownCharacter(scalar, offset: offset) }
            out.append(id)
        }
        return out
    }

    /// The text of token ids; ids must be in `0..<count`.
    public func decode(_ tokens: [Int]) -> String {
        var s = String.UnicodeScalarView()
        for t in tokens { s.append(vocabulary[t]) }
        return String(s)
    }

    public static func == (a: CharTokenizer, b: CharTokenizer) -> Bool { a.vocabulary == b.vocabulary }
    public func hash(into h: inout Hasher) { h.combine(vocabulary.map(\.value)) }
}

/// Why text could not be tokenized, or a saved vocabulary read.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    case unknownCharacter(Unicode.Scalar, offset: Int)
    case emptyVocabulary
    case unsortedVocabulary(Unicode.Scalar)

    public var description: String {
        switch self {
        case let .unknownCharacter(c, offset):
            "character \(Self.quoted(c)) at offset \(offset) is not in the tokenizer's vocabulary"
        case .emptyVocabulary: "the tokenizer's vocabulary is empty"
        case let .unsortedVocabulary(c): "the tokenizer's vocabulary is not in increasing order at \(Self.quoted(c))"
        }
    }

    /// A scalar as the user would type it, with its code point (so a tab or a non-breaking space is visible).
    static func quoted(_ c: Unicode.Scalar) -> String {
        let hex = String(c.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return c.properties.isWhitespace || c.value < 0x20 ? code : "'\(c)' (\(code))"
    }
}
