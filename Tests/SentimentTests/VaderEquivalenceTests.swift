import Foundation
import Testing

@testable import Sentiment

/// The port against the reference package: every text of `Fixtures/vader_reference.jsonl` (written and re-checked by
/// `scripts/vader_reference.py` with vaderSentiment 3.3.2) must score as Python scored it, before and after rounding.
@Suite struct VaderEquivalenceTests {
    struct Row: Decodable {
        let text: String
        /// neg, neu, pos, compound as `polarity_scores` returns them, as Python's repr.
        let scores: [String]
        /// The same before the final `round`.
        let unrounded: [String]
    }

    static func rows() throws -> [Row] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/vader_reference.jsonl")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        return try lines.map { try JSONDecoder().decode(Row.self, from: Data($0.utf8)) }
    }

    static func figures(_ scores: VaderScores) -> [Double] {
        [scores.neg, scores.neu, scores.pos, scores.compound]
    }

    @Test func everyFixtureTextScoresAsThePythonPackage() throws {
        let rows = try Self.rows()
        #expect(rows.count >= 1000)
        let vader = Vader()
        var maxDifference = 0.0
        var mismatches = 0
        for row in rows {
            let python = row.unrounded.compactMap(Double.init)
            let pythonRounded = row.scores.compactMap(Double.init)
            try #require(
                python.count == 4 && pythonRounded.count == 4, "unreadable row for \(row.text.debugDescription)")
            let swift = Self.figures(vader.unroundedScores(row.text))
            let swiftRounded = Self.figures(vader.scores(row.text))
            let differences = zip(swift + swiftRounded, python + pythonRounded).map { ($0 - $1).magnitude }
            maxDifference = max(maxDifference, differences.max() ?? 0)
            if differences.contains(where: { $0 > 1e-9 }) || swiftRounded[3] != vader.compound(row.text) {
                mismatches += 1
                Issue.record(
                    "\(row.text.debugDescription): Swift \(swift) \(swiftRounded), Python \(python) \(pythonRounded)")
            }
        }
        print("VADER equivalence: \(rows.count) texts, \(mismatches) mismatches, max |Δ| = \(maxDifference)")
        #expect(maxDifference == 0)
    }

    /// The fixture's unrounded figures, rounded by the port's `round`, give the package's rounded figures: Python's
    /// `round` checked on thousands of values.
    @Test func pythonRoundMatchesOnEveryFixtureFigure() throws {
        for row in try Self.rows() {
            let unrounded = row.unrounded.compactMap(Double.init)
            let rounded = row.scores.compactMap(Double.init)
            let mine = zip(unrounded, [3, 3, 3, 4]).map { PythonRound.round($0, digits: $1) }
            #expect(mine == rounded, "\(row.text.debugDescription)")
        }
    }
}
