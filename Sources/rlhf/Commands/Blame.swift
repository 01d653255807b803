import ArgumentParser
import Store

struct Blame: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "For each feedback row of a dataset version: the version and cell that added it, its annotator and seed, "
            + "and a text row's prompt and continuations.",
        discussion: "Example: rlhf blame 1/prefs (the latest version) or rlhf blame 1/prefs@2")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The dataset, RUN/NAME[@N].", valueName: "run/name")) var dataset: String
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        let ref = try parseReference(dataset)
        let (info, lines) = try failing { try store.openReadOnly().blame(ref) }
        if json { return print(try Format.json(lines)) }
        print("\(info.run)/\(info.object)@\(info.version) · \(lines.count) rows")
        // A text dataset's rows add their words: the prompt's end and each continuation's beginning.
        let hasText = lines.contains { $0.text != nil }
        let textHeader = hasText ? ["PROMPT TEXT", "CHOSEN", "REJECTED"] : []
        print(
            Format.table(
                ["UID", "PROMPT", "ADDED", "CELL", "ANNOTATOR", "SEED", "RELABELS"] + textHeader,
                lines.map { l in
                    [
                        "\(l.uid)", "\(l.prompt)", "v\(l.addedIn)",
                        l.cellOrdinal.map { "\($0):\(l.cellKey ?? "")" } ?? "rollback", l.annotator, "\(l.seed)",
                        l.replacesVersion.map { "row of v\($0)" } ?? "",
                    ] + (hasText ? Self.textCells(l.text) : [])
                }))
    }

    /// A text row's words as three cells (empty for a vector row among text rows).
    static func textCells(_ text: FeedbackRow.Text?) -> [String] {
        guard let text else { return ["", "", ""] }
        let width = Excerpt.feedbackWidth
        return [
            Excerpt.quoted(Excerpt.tail(text.prompt, width: width)),
            Excerpt.quoted(Excerpt.head(text.chosen, width: width)),
            Excerpt.quoted(Excerpt.head(text.rejected, width: width)),
        ]
    }
}
