import Testing

@testable import Sentiment

/// Each rule of VADER 3.3.2 on a text worked by hand from the rules: `sum` is the valences after the rules (lexicon:
/// good 1.9, bad −2.5, doubt −1.5, shit −2.6, acceptance 2.0, advantage 1.0; booster +0.293, dampener −0.293, caps
/// +0.733, negation ×−0.74, "!" 0.292 each, "?" 0.18 each), and compound = sum/√(sum² + 15).
@Suite struct VaderRuleTests {
    static let handWorked: [(text: String, sum: Double, rule: String)] = [
        ("good", 1.9, "lexicon"),
        ("very good", 1.9 + 0.293, "booster before a positive word"),
        ("barely good", 1.9 + -0.293, "dampener"),
        ("very bad", -2.5 + -0.293, "booster takes the sign of a negative word"),
        ("very the good", 1.9 + 0.293 * 0.95, "booster two words back: ×0.95"),
        ("very the a good", 1.9 + 0.293 * 0.9, "booster three words back: ×0.9"),
        ("GOOD day", 1.9 + 0.733, "ALLCAPS word among others"),
        ("VERY good day", 1.9 + (0.293 + 0.733), "ALLCAPS booster among others"),
        ("VERY GOOD", 1.9 + 0.293, "all words ALLCAPS: no emphasis"),
        ("not good", 1.9 * -0.74, "negation one word back"),
        ("not the good", 1.9 * -0.74, "negation two words back"),
        ("isn't good", 1.9 * -0.74, "n't"),
        ("no good", 1.9 * -0.74, "\"no\" before a lexicon word: no itself 0, the word negated"),
        // good: +0.293 from "so", then "never so" ×1.25 instead of negating.
        ("never so good", (1.9 + 0.293) * 1.25, "never so"),
        // 3.3.2's precedence: at distance 3 a "so" just before the word ×1.25 without any "never".
        ("it was so good", (1.9 + 0.293) * 1.25, "so/this at distance 3"),
        ("the food was this good", 1.9 * 1.25, "so/this at distance 3"),
        // doubt (−1.5) is negated by "without" (×−0.74 = 1.11); good, two words after "without doubt", is not.
        ("without doubt good", -1.5 * -0.74 + 1.9, "without doubt"),
        ("least good", 1.9 * -0.74, "least"),
        ("at least good", 1.9, "at least"),
        // good ×0.5 before "but", bad ×1.5 after.
        ("good but bad", 1.9 * 0.5 + -2.5 * 1.5, "but"),
        // acceptance 2.0 is halved to 1.0, which equals advantage's 1.0, so advantage's ×1.5 lands on index 0
        // (1.0 × 0.5) and advantage stays 1.0: 0.5 + 0 + 1.0.
        ("acceptance but advantage", 0.5 + 1.0, "but: Python's list.index finds the first equal value"),
        // "kind" (2.4) is a lexicon word, so "kind of" adds its −0.293 only through the idioms check (i ≥ 3).
        ("kind of good", 1.9, "kind of, too early for the idioms check"),
        ("it is kind of good", 1.9 + -0.293, "kind of"),
        ("good!!!", 1.9 + 3 * 0.292, "three !"),
        ("good!!!!!!", 1.9 + 4 * 0.292, "! counts at most 4"),
        ("good??", 1.9 + 2 * 0.18, "two ?"),
        ("good????", 1.9 + 0.96, "more than three ?"),
        ("this is the shit", 3, "idiom \"the shit\" replaces shit's −2.6"),
        ("the shit", -2.6, "idioms need three words before the word"),
    ]

    @Test(arguments: handWorked)
    func compoundFollowsTheRule(text: String, sum: Double, rule: String) {
        let expected = sum / (sum * sum + 15).squareRoot()
        #expect(Vader().unroundedScores(text).compound == expected, "\(rule)")
        #expect(Vader().compound(text) == PythonRound.round(expected, digits: 4), "\(rule)")
    }

    /// "good but bad": valences 0.95, 0 ("but"), −3.75. Positive weight 0.95 + 1 = 1.95, negative −3.75 − 1 = −4.75,
    /// one neutral word: total 7.7, so neg 4.75/7.7 = 0.617, neu 1/7.7 = 0.130, pos 1.95/7.7 = 0.253.
    /// "good!!!": positive 2.9 + 0.876 (the "!" go to the larger side) = 3.776, no neutral: pos 1.0.
    @Test(arguments: [
        ("good but bad", VaderScores(neg: 0.617, neu: 0.13, pos: 0.253, compound: -0.5859)),
        ("good!!!", VaderScores(neg: 0, neu: 0, pos: 1, compound: 0.5826)),
        ("", VaderScores(neg: 0, neu: 0, pos: 0, compound: 0)),
        ("!!!", VaderScores(neg: 0, neu: 1, pos: 0, compound: 0)),
    ])
    func proportions(text: String, expected: VaderScores) {
        #expect(Vader().scores(text) == expected)
    }

    /// Python's string semantics: splitting on Unicode whitespace, stripping ASCII punctuation unless two or fewer code
    /// points remain, `isupper` and `lower` by code point.
    @Test(arguments: [
        ("good\u{3000}day", ["good", "day"]),  // ideographic space separates words, as in str.split()
        ("good\u{200B}day", ["good\u{200B}day"]),  // zero-width space does not
        ("\"good!\" :) ...", ["good", ":)", "..."]),  // :) and ... strip to fewer than 3 code points: kept whole
        ("\u{212A}IND", ["kind"]),  // KELVIN SIGN lowers to ASCII k
        ("\u{37E})", ["\u{37E})"]),  // GREEK QUESTION MARK is not ";": the lexicon's ;) is not found
    ])
    func wordsAsPythonSplitsThem(text: String, lowered: [String]) {
        let words = SentiText(Array(text.unicodeScalars)).words
        #expect(words.map { String(decoding: $0.lower.bytes, as: UTF8.self) } == lowered)
    }

    @Test(arguments: [("GOOD", true), ("Good", false), ("ÉTÉ", true), ("123", false), ("A1!", true), ("ǅ", false)])
    func isUpperAsPython(word: String, expected: Bool) {
        #expect(PythonText.isUpper(Array(word.unicodeScalars)[...]) == expected)
    }

    /// GREEK QUESTION MARK + ")" scores 0 (Python compares code points), where ";)" is the lexicon's winking smiley.
    @Test func canonicallyEquivalentTextIsNotTheLexiconWord() {
        #expect(Vader().compound("\u{37E})") == 0)
        #expect(Vader().compound(";)") != 0)
    }
}
