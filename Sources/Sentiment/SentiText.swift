/// A text as VADER's rules read it (`SentiText`): its words and emoticons, each lowered once, and whether only some of
/// them are in capitals.
struct SentiText {
    /// One whitespace-separated token, stripped of surrounding ASCII punctuation unless that leaves two code points or
    /// fewer (then it was likely an emoticon such as `:)` and is kept whole).
    struct Word {
        /// `word.lower()`, the form every rule compares.
        let lower: VaderKey
        /// `word.isupper()`.
        let isUpper: Bool
    }

    let words: [Word]
    /// `allcap_differential`: some, but not all, words are ALL CAPS; only then do capitals add emphasis.
    let isCapDifferential: Bool

    init(_ text: [Unicode.Scalar]) {
        words = PythonText.split(text).map { token in
            let stripped = PythonText.stripPunctuation(token)
            let word = stripped.count <= 2 ? token : stripped
            return Word(lower: PythonText.lower(word), isUpper: PythonText.isUpper(word))
        }
        let capitalised = words.count(where: \.isUpper)
        let differential = words.count - capitalised
        isCapDifferential = 0 < differential && differential < words.count
    }
}
