/// VADER's two lexicons, parsed once from the compiled-in files (`VaderData`) the first time a text is scored.
///
/// Parsing mirrors `SentimentIntensityAnalyzer.make_lex_dict` and `make_emoji_dict`: each line is stripped of
/// whitespace (the files have CRLF line ends) and split on tabs; the first two fields are kept, and a word listed
/// twice keeps its last value, as a Python dictionary assignment does.
struct VaderLexicon: Sendable {
    /// Word (as typed in the lexicon) → mean valence.
    let valences: [VaderKey: Double]
    /// Emoji → its description. Only one-code-point emojis are kept: VADER replaces emojis code point by code point
    /// (`for chr in text: if chr in self.emojis`), so its many multi-code-point entries never match anything.
    let emojis: [Unicode.Scalar: [Unicode.Scalar]]

    /// Parsed on first use; Swift initialises a static `let` exactly once, thread-safely.
    static let shared = VaderLexicon(lexicon: VaderData.lexicon, emojiLexicon: VaderData.emojiLexicon)

    init(lexicon: String, emojiLexicon: String) {
        var valences: [VaderKey: Double] = [:]
        for fields in Self.rows(lexicon) where fields.count >= 2 {
            if let valence = Double(String(String.UnicodeScalarView(fields[1]))) {
                valences[VaderKey(String(String.UnicodeScalarView(fields[0])))] = valence
            }
        }
        var emojis: [Unicode.Scalar: [Unicode.Scalar]] = [:]
        for fields in Self.rows(emojiLexicon) where fields.count >= 2 && fields[0].count == 1 {
            emojis[fields[0][fields[0].startIndex]] = Array(fields[1])
        }
        self.valences = valences
        self.emojis = emojis
    }

    /// `text.rstrip('\n').split('\n')`, empty lines skipped, each `line.strip().split('\t')`.
    private static func rows(_ text: String) -> [[ArraySlice<Unicode.Scalar>]] {
        var scalars = Array(text.unicodeScalars)
        while scalars.last == "\n" { scalars.removeLast() }
        return scalars.split(separator: "\n", omittingEmptySubsequences: true).map { line in
            PythonText.strip(line).split(separator: "\t", omittingEmptySubsequences: false)
        }
    }
}
