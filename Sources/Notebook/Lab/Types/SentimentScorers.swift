import Sentiment

/// The sentiment models a `TextTask` can be judged by, found by the name a stored task records (`scorer.name`, e.g.
/// `"vader 3.3.2"`). A scorer whose rules change must change its name, so a stored task never silently restores
/// with another judge.
enum SentimentScorers {
    /// Every scorer the lab knows; the first is the default.
    static var all: [any SentimentScorer] { [Vader()] }

    static var standard: any SentimentScorer { Vader() }

    static func named(_ name: String) -> (any SentimentScorer)? {
        all.first { $0.name == name }
    }
}
