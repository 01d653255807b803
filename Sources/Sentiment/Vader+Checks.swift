/// The rules of `SentimentIntensityAnalyzer` that adjust one valence from the words around it (negation, "least",
/// idioms) or all of them ("but").
extension Vader {
    /// `negated` for one word: a word of `NEGATE`, or any word containing "n't".
    static func isNegation(_ word: VaderKey) -> Bool {
        VaderRules.negations.contains(word) || word.contains("n't")
    }

    /// `_negation_check`: a negation 1, 2 or 3 words before flips and shrinks the valence (× −0.74), except in "never
    /// so/this …" (× 1.25) and "without doubt …" (unchanged). At distance 3, as 3.3.2's operator precedence has it, a
    /// "so" or "this" just before the word also multiplies by 1.25.
    static func negationCheck(_ valence: Double, _ words: [SentiText.Word], _ startI: Int, _ i: Int) -> Double {
        var valence = valence
        if startI == 0 {
            if isNegation(words[i - 1].lower) { valence = valence * VaderRules.negationScalar }
        }
        if startI == 1 {
            if words[i - 2].lower == "never" && (words[i - 1].lower == "so" || words[i - 1].lower == "this") {
                valence = valence * 1.25
            } else if words[i - 2].lower == "without" && words[i - 1].lower == "doubt" {
                // "without doubt": not a negation.
            } else if isNegation(words[i - 2].lower) {
                valence = valence * VaderRules.negationScalar
            }
        }
        if startI == 2 {
            if (words[i - 3].lower == "never" && (words[i - 2].lower == "so" || words[i - 2].lower == "this"))
                || (words[i - 1].lower == "so" || words[i - 1].lower == "this")
            {
                valence = valence * 1.25
            } else if words[i - 3].lower == "without"
                && (words[i - 2].lower == "doubt" || words[i - 1].lower == "doubt")
            {
                // "without (a) doubt": not a negation.
            } else if isNegation(words[i - 3].lower) {
                valence = valence * VaderRules.negationScalar
            }
        }
        return valence
    }

    /// `_least_check`: "least" just before a word negates it, except in "at least" and "very least".
    static func leastCheck(_ valence: Double, _ words: [SentiText.Word], _ i: Int, lexicon: [VaderKey: Double])
        -> Double
    {
        if i > 1 && lexicon[words[i - 1].lower] == nil && words[i - 1].lower == "least" {
            if words[i - 2].lower != "at" && words[i - 2].lower != "very" {
                return valence * VaderRules.negationScalar
            }
        } else if i > 0 && lexicon[words[i - 1].lower] == nil && words[i - 1].lower == "least" {
            return valence * VaderRules.negationScalar
        }
        return valence
    }

    /// `_special_idioms_check` (only reached for i ≥ 3): an idiom of `SPECIAL_CASES` around the word replaces its
    /// valence; then a two-word dampener ("kind of", "sort of", "just enough") before it adds its scalar, unsigned.
    static func specialIdiomsCheck(_ valence: Double, _ words: [SentiText.Word], _ i: Int) -> Double {
        var valence = valence
        let oneZero = VaderKey(joining: words[i - 1].lower, words[i].lower)
        let twoOneZero = VaderKey(joining: words[i - 2].lower, words[i - 1].lower, words[i].lower)
        let twoOne = VaderKey(joining: words[i - 2].lower, words[i - 1].lower)
        let threeTwoOne = VaderKey(joining: words[i - 3].lower, words[i - 2].lower, words[i - 1].lower)
        let threeTwo = VaderKey(joining: words[i - 3].lower, words[i - 2].lower)
        for sequence in [oneZero, twoOneZero, twoOne, threeTwoOne, threeTwo] {
            if let idiom = VaderRules.specialCases[sequence] {
                valence = idiom
                break
            }
        }
        if words.count - 1 > i,
            let idiom = VaderRules.specialCases[VaderKey(joining: words[i].lower, words[i + 1].lower)]
        {
            valence = idiom
        }
        if words.count - 1 > i + 1,
            let idiom = VaderRules.specialCases[
                VaderKey(joining: words[i].lower, words[i + 1].lower, words[i + 2].lower)]
        {
            valence = idiom
        }
        for nGram in [threeTwoOne, threeTwo, twoOne] {
            if let booster = VaderRules.boosters[nGram] { valence = valence + booster }
        }
        return valence
    }

    /// `_but_check`: after the first "but", valences count 1.5×; before it, 0.5×.
    ///
    /// As in 3.3.2, each value is located by its first occurrence (`sentiments.index(sentiment)`), so when a halved
    /// value equals a later one, or a value repeats, the multiplier lands on the first equal entry, not on the word.
    static func butCheck(_ words: [SentiText.Word], _ sentiments: inout [Double]) {
        guard let butIndex = words.firstIndex(where: { $0.lower == "but" }) else { return }
        for k in sentiments.indices {
            let sentiment = sentiments[k]
            let first = sentiments.firstIndex(of: sentiment) ?? k
            if first < butIndex {
                sentiments[first] = sentiment * 0.5
            } else if first > butIndex {
                sentiments[first] = sentiment * 1.5
            }
        }
    }
}
