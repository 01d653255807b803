/// The sentiment built-ins given what is not a text: each is one located error quoting the argument, and nothing is
/// committed.
extension BadInputCorpus {
    static let sentiment: [BadInputCase] = [
        sentimentCase(
            "vader-number", "x = vader(3)",
            error: "nb.rlhf:2:11: error: vader(): argument 'text' must be a string, got number"),
        sentimentCase(
            "vader-nil", "x = vader(nil)",
            error: "nb.rlhf:2:11: error: vader(): argument 'text' must be a string, got nil"),
        sentimentCase(
            "vader-scores-list", "x = vader_scores([\"good\"])",
            error: "nb.rlhf:2:18: error: vader_scores(): argument 'text' must be a string, got list"),
        sentimentCase(
            "vader-missing", "x = vader()", error: "nb.rlhf:2:10: error: missing argument 'text' in call to vader()"),
        sentimentCase(
            "vader-two-texts", "x = vader(\"good\", \"bad\")",
            error: "nb.rlhf:2:19: error: too many arguments to vader(): expected 1 positional, got 2"),
    ]

    private static func sentimentCase(_ name: String, _ source: String, error: String) -> BadInputCase {
        .notebook("sentiment/\(name)", "# %% bad id=bad\n\(source)\n", error: error)
    }
}
