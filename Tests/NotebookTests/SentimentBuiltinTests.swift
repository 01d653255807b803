import Testing

@testable import Language
@testable import Notebook

/// `vader(text)` and `vader_scores(text)` in a notebook give vaderSentiment 3.3.2's figures, pasted from
/// `S().polarity_scores(T)` after `from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as S`.
@Test(arguments: [
    ("VADER is smart, handsome, and funny!", 0.0, 0.248, 0.752, 0.8439),
    (
        "The plot was good, but the characters are uncompelling and the dialog is not great.", 0.327, 0.579, 0.094,
        -0.7042
    ),
    ("😁", 0.0, 0.571, 0.429, 0.4588),
    ("", 0.0, 0.0, 0.0, 0.0),
])
func vaderBuiltinsGiveThePackagesScores(text: String, neg: Double, neu: Double, pos: Double, compound: Double) throws {
    let fixture = try LanguageModelFixture()
    defer { fixture.remove() }
    let literal = text.debugDescription  // a quoted string literal the cell language reads back
    let (runner, outcomes) = try fixture.run(["c = vader(\(literal))\ns = vader_scores(\(literal))"])
    #expect(allCommitted(outcomes), "\(outcomes)")
    #expect(runner.interpreter.globals["c"] == .double(compound))
    let expected = Value.record(
        Record([("neg", .double(neg)), ("neu", .double(neu)), ("pos", .double(pos)), ("compound", .double(compound))]))
    #expect(runner.interpreter.globals["s"] == expected)
}
