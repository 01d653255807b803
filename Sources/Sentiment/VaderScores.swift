/// VADER's four figures for a text, as `polarity_scores` returns them: the proportions of negative, neutral and
/// positive weight (rounded to 3 decimals) and the normalised compound score in [−1, 1] (rounded to 4 decimals).
public struct VaderScores: Sendable, Equatable {
    public var neg: Double
    public var neu: Double
    public var pos: Double
    public var compound: Double

    public init(neg: Double, neu: Double, pos: Double, compound: Double) {
        self.neg = neg
        self.neu = neu
        self.pos = pos
        self.compound = compound
    }

    /// Python's `round(neg, 3)`, `round(neu, 3)`, `round(pos, 3)`, `round(compound, 4)`.
    func rounded() -> VaderScores {
        VaderScores(
            neg: PythonRound.round(neg, digits: 3), neu: PythonRound.round(neu, digits: 3),
            pos: PythonRound.round(pos, digits: 3), compound: PythonRound.round(compound, digits: 4))
    }
}
