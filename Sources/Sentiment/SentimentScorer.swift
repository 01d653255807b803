/// A published model that reads a text and scores its sentiment from −1 (most negative) to +1 (most positive): the
/// hidden gold of a text task. It must be a pure function of the text (no randomness, no state), so a run that judges
/// the same continuations again gets the same gold.
///
/// VADER (`Vader`, Hutto & Gilbert 2014) is the one the lab ships; tests may judge with simpler scorers whose values
/// they can compute by hand.
public protocol SentimentScorer: Sendable {
    /// The scorer and its version, recorded with every task it judges (e.g. `"vader 3.3.2"`).
    var name: String { get }
    /// The sentiment of `text`, in [−1, 1].
    func compound(_ text: String) -> Double
}
