/// The constants and word lists of `vaderSentiment` 3.3.2, as its module defines them, with its comments' reasons.
enum VaderRules {
    /// Empirically derived mean sentiment intensity rating increase for booster words (and decrease for dampeners).
    static let boosterIncrement = 0.293
    static let boosterDecrement = -0.293
    /// Empirically derived mean increase for using ALLCAPS to emphasise a word.
    static let capsIncrement = 0.733
    /// What a negation multiplies a valence by.
    static let negationScalar = -0.74

    /// `NEGATE`.
    static let negations: [VaderKey] = [
        "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
        "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
        "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
        "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
        "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
        "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
        "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
        "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
    ]

    /// `BOOSTER_DICT`: booster and dampener "intensifiers" or degree adverbs.
    static let boosters: [VaderKey: Double] = {
        let up: [VaderKey] = [
            "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably", "decidedly", "deeply",
            "effing", "enormous", "enormously", "entirely", "especially", "exceptional", "exceptionally", "extreme",
            "extremely", "fabulously", "flipping", "flippin", "frackin", "fracking", "fricking", "frickin",
            "frigging", "friggin", "fully", "fuckin", "fucking", "fuggin", "fugging", "greatly", "hella", "highly",
            "hugely", "incredible", "incredibly", "intensely", "major", "majorly", "more", "most", "particularly",
            "purely", "quite", "really", "remarkably", "so", "substantially", "thoroughly", "total", "totally",
            "tremendous", "tremendously", "uber", "unbelievably", "unusually", "utter", "utterly", "very",
        ]
        let down: [VaderKey] = [
            "almost", "barely", "hardly", "just enough", "kind of", "kinda", "kindof", "kind-of", "less", "little",
            "marginal", "marginally", "occasional", "occasionally", "partly", "scarce", "scarcely", "slight",
            "slightly", "somewhat", "sort of", "sorta", "sortof", "sort-of",
        ]
        var boosters: [VaderKey: Double] = [:]
        for word in up { boosters[word] = boosterIncrement }
        for word in down { boosters[word] = boosterDecrement }
        return boosters
    }()

    /// `SPECIAL_CASES`: idioms and phrases containing lexicon words, whose valence replaces the word's.
    static let specialCases: [VaderKey: Double] = [
        "the shit": 3, "the bomb": 3, "bad ass": 1.5, "badass": 1.5, "bus stop": 0.0,
        "yeah right": -2, "kiss of death": -1.5, "to die for": 3, "beating heart": 3.5,
    ]

    /// `SENTIMENT_LADEN_IDIOMS`: idioms without lexicon words. 3.3.2 defines them and a
    /// `_sentiment_laden_idioms_check` that reads them, but never calls it ("future work, not yet implemented"), so
    /// they change no score; kept so a reader of the port sees the whole of 3.3.2. Likewise its `negated` has the
    /// "least" rule commented out; `Vader.leastCheck` is the one that applies.
    static let sentimentLadenIdioms: [VaderKey: Double] = [
        "cut the mustard": 2, "hand to mouth": -2, "back handed": -2, "blow smoke": -2, "blowing smoke": -2,
        "upper hand": 1, "break a leg": 2, "cooking with gas": 2, "in the black": 2, "in the red": -2,
        "on the ball": 2, "under the weather": -2,
    ]
}
