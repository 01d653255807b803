/// `score_valence` and its helpers: the valences summed, emphasised by punctuation and normalised, and the shares of
/// positive, negative and neutral words.
extension Vader {
    /// `normalize`: score/√(score² + 15), within [−1, 1].
    static func normalize(_ score: Double, alpha: Double = 15) -> Double {
        let normalized = score / (score * score + alpha).squareRoot()
        return min(max(normalized, -1.0), 1.0)
    }

    /// `_punctuation_emphasis`: 0.292 per "!" (at most 4), and for two or three "?" 0.18 each, for more 0.96.
    static func punctuationEmphasis(_ text: [Unicode.Scalar]) -> Double {
        var exclamations = 0
        var questions = 0
        for scalar in text {
            if scalar == "!" { exclamations += 1 }
            if scalar == "?" { questions += 1 }
        }
        let exclamationAmplifier = Double(min(exclamations, 4)) * 0.292
        var questionAmplifier = 0.0
        if questions > 1 {
            questionAmplifier = questions <= 3 ? Double(questions) * 0.18 : 0.96
        }
        return exclamationAmplifier + questionAmplifier
    }

    /// `score_valence` before its final rounding. Sums run left to right, as Python 3.11's `sum` and loop do.
    static func scoreValence(_ sentiments: [Double], text: [Unicode.Scalar]) -> VaderScores {
        guard !sentiments.isEmpty else { return VaderScores(neg: 0, neu: 0, pos: 0, compound: 0) }
        var sum = 0.0
        for sentiment in sentiments { sum += sentiment }
        let amplifier = punctuationEmphasis(text)
        if sum > 0 {
            sum += amplifier
        } else if sum < 0 {
            sum -= amplifier
        }
        let compound = normalize(sum)
        // `_sift_sentiment_scores`: the +1 and −1 compensate for neutral words counting 1 each.
        var positive = 0.0
        var negative = 0.0
        var neutral = 0
        for sentiment in sentiments {
            if sentiment > 0 { positive += sentiment + 1 }
            if sentiment < 0 { negative += sentiment - 1 }
            if sentiment == 0 { neutral += 1 }
        }
        if positive > negative.magnitude {
            positive += amplifier
        } else if positive < negative.magnitude {
            negative -= amplifier
        }
        let total = positive + negative.magnitude + Double(neutral)
        return VaderScores(
            neg: (negative / total).magnitude, neu: (Double(neutral) / total).magnitude,
            pos: (positive / total).magnitude, compound: compound)
    }
}
