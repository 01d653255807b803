/// Stored text shortened for one cell of a table or one line of a listing: control characters escaped (`\n`), then
/// cut to `width` characters with `…` marking the cut. JSON and CSV output never go through here; they print the
/// whole text.
///
/// ```swift
/// Excerpt.head("the king is dead\nlong live", width: 12)  // "the king is…"
/// Excerpt.tail("First Citizen:\nBefore we", width: 12)   // "…\nBefore we"
/// ```
enum Excerpt {
    /// The widest a text cell of `rlhf query`'s table is; wider text is cut (use `--json` or `--csv` for all of it).
    static let queryWidth = 60
    /// The widest a prompt or continuation is shown by `rlhf blame` and `rlhf diff`.
    static let feedbackWidth = 28

    /// The text's beginning: what a reader of a continuation sees first.
    static func head(_ text: String, width: Int) -> String {
        let shown = QueryTablePrinter.visible(text)
        guard shown.count > width else { return shown }
        return String(shown.prefix(max(width - 1, 0))) + "…"
    }

    /// The text's end: for a prompt, the words the continuation follows.
    static func tail(_ text: String, width: Int) -> String {
        let shown = QueryTablePrinter.visible(text)
        guard shown.count > width else { return shown }
        return "…" + String(shown.suffix(max(width - 1, 0)))
    }

    /// A text in double quotes, as a diff line shows it.
    static func quoted(_ text: String) -> String { "\"" + text + "\"" }
}
