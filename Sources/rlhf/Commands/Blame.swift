import ArgumentParser
import Store

struct Blame: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "For each feedback row of a dataset version: the version and cell that added it, its annotator and seed.",
        discussion: "Example: rlhf blame 1/prefs (the latest version) or rlhf blame 1/prefs@2")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The dataset, RUN/NAME[@N].", valueName: "run/name")) var dataset: String
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        let ref = try parseReference(dataset)
        let (info, lines) = try failing { try store.openReadOnly().blame(ref) }
        if json { return print(try Format.json(lines)) }
        print("\(info.run)/\(info.object)@\(info.version) · \(lines.count) rows")
        print(
            Format.table(
                ["UID", "PROMPT", "ADDED", "CELL", "ANNOTATOR", "SEED", "RELABELS"],
                lines.map { l in
                    [
                        "\(l.uid)", "\(l.prompt)", "v\(l.addedIn)",
                        l.cellOrdinal.map { "\($0):\(l.cellKey ?? "")" } ?? "rollback", l.annotator, "\(l.seed)",
                        l.replacesVersion.map { "row of v\($0)" } ?? "",
                    ]
                }))
    }
}
