/// VADER (Hutto & Gilbert 2014), a port of `vaderSentiment` 3.3.2's `SentimentIntensityAnalyzer.polarity_scores`:
/// the lexicon's valences adjusted by boosters and dampeners, capitals, negation, "but", "kind of", "least", idioms and
/// punctuation, then normalised.
///
/// Every rule follows the Python source line by line, in its order of floating-point operations (including its
/// quirks: `_but_check` finds each value's first occurrence, and a "so" or "this" just before a word multiplies it by
/// 1.25 whatever came before), so scores agree with the package to the bit; `Tests/SentimentTests` checks that on the
/// committed fixture that `scripts/vader_reference.py` writes and re-checks with the package.
///
///     Vader().compound("VADER is smart, handsome, and funny!")  // 0.8439
public struct Vader: SentimentScorer {
    public let name = "vader 3.3.2"

    public init() {}

    /// `polarity_scores(text)["compound"]`: the sentiment of `text` in [−1, 1], rounded to 4 decimals as Python does.
    public func compound(_ text: String) -> Double {
        PythonRound.round(unroundedScores(text).compound, digits: 4)
    }

    /// `polarity_scores(text)`: neg, neu and pos rounded to 3 decimals, compound to 4.
    public func scores(_ text: String) -> VaderScores {
        unroundedScores(text).rounded()
    }

    /// The four figures before Python's final `round`, which the equivalence test compares bit for bit.
    func unroundedScores(_ text: String) -> VaderScores {
        let lexicon = VaderLexicon.shared
        let plain = Array(PythonText.strip(Self.describingEmojis(text, lexicon.emojis)[...]))
        let sentiText = SentiText(plain)
        let words = sentiText.words
        var sentiments: [Double] = []
        sentiments.reserveCapacity(words.count)
        for (i, item) in words.enumerated() {
            // Boosters and "kind of" modify the words after them and carry no valence themselves.
            if VaderRules.boosters[item.lower] != nil {
                sentiments.append(0)
                continue
            }
            if i < words.count - 1 && item.lower == "kind" && words[i + 1].lower == "of" {
                sentiments.append(0)
                continue
            }
            sentiments.append(valence(at: i, in: sentiText, lexicon: lexicon.valences))
        }
        Self.butCheck(words, &sentiments)
        return Self.scoreValence(sentiments, text: plain)
    }

    /// 3.3.2's first step: each code point that is an emoji becomes its description, after a space unless one
    /// precedes it.
    static func describingEmojis(_ text: String, _ emojis: [Unicode.Scalar: [Unicode.Scalar]]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.unicodeScalars.underestimatedCount)
        var previousIsSpace = true
        for scalar in text.unicodeScalars {
            if let description = emojis[scalar] {
                if !previousIsSpace { out.append(" ") }
                out.append(contentsOf: description)
                previousIsSpace = false
            } else {
                out.append(scalar)
                previousIsSpace = scalar == " "
            }
        }
        return out
    }

    /// `sentiment_valence`: the lexicon valence of word `i`, adjusted by the rules that look at its neighbours.
    private func valence(at i: Int, in sentiText: SentiText, lexicon: [VaderKey: Double]) -> Double {
        let words = sentiText.words
        let item = words[i]
        guard let listed = lexicon[item.lower] else { return 0 }
        var valence = listed
        // "no" before a lexicon word negates that word instead of counting as negative itself.
        if item.lower == "no" && i != words.count - 1 && lexicon[words[i + 1].lower] != nil {
            valence = 0.0
        }
        if (i > 0 && words[i - 1].lower == "no") || (i > 1 && words[i - 2].lower == "no")
            || (i > 2 && words[i - 3].lower == "no" && (words[i - 1].lower == "or" || words[i - 1].lower == "nor"))
        {
            valence = listed * VaderRules.negationScalar
        }
        // A word in ALL CAPS among words that are not is emphasised.
        if item.isUpper && sentiText.isCapDifferential {
            if valence > 0 {
                valence += VaderRules.capsIncrement
            } else {
                valence -= VaderRules.capsIncrement
            }
        }
        // The three preceding words that are not lexicon words may boost, dampen or negate; the further, the less.
        for startI in 0..<3 where i > startI && lexicon[words[i - (startI + 1)].lower] == nil {
            var scalar = Self.scalarIncDec(words[i - (startI + 1)], valence, sentiText.isCapDifferential)
            if startI == 1 && scalar != 0 { scalar = scalar * 0.95 }
            if startI == 2 && scalar != 0 { scalar = scalar * 0.9 }
            valence = valence + scalar
            valence = Self.negationCheck(valence, words, startI, i)
            if startI == 2 { valence = Self.specialIdiomsCheck(valence, words, i) }
        }
        return Self.leastCheck(valence, words, i, lexicon: lexicon)
    }

    /// `scalar_inc_dec`: what a booster or dampener adds to the valence of a word after it, with the word's sign, and
    /// more when the booster alone is in capitals.
    private static func scalarIncDec(_ word: SentiText.Word, _ valence: Double, _ isCapDifferential: Bool) -> Double {
        guard var scalar = VaderRules.boosters[word.lower] else { return 0.0 }
        if valence < 0 { scalar *= -1 }
        if word.isUpper && isCapDifferential {
            if valence > 0 {
                scalar += VaderRules.capsIncrement
            } else {
                scalar -= VaderRules.capsIncrement
            }
        }
        return scalar
    }
}
