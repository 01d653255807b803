import ArgumentParser
import Store

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every run in the store, newest last.")

    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON instead of a table.") var json = false
    @Flag(help: "Include runs marked deleted (rlhf rm) that rlhf gc has not purged yet.") var all = false

    func run() throws {
        let runs = try failing { try store.openReadOnly().runs(includingDeleted: all) }
        if json { return print(try Format.json(runs)) }
        if runs.isEmpty { return print("no runs yet") }
        print(
            Format.table(
                ["RUN", "STATUS", "NOTEBOOK", "STARTED", "CELLS", "OBJECTS", "VERSIONS", "METRICS"],
                runs.map { r in
                    [
                        "\(r.id)", status(r), r.notebook ?? "(shell)",
                        r.startedAt, "\(r.cells)", "\(r.objects)", "\(r.versions)", "\(r.metrics)",
                    ]
                }))
    }

    /// `failed at cell 3`, `interrupted after cell 2`, `interrupted before cell 3` (a resumed run).
    private func status(_ r: RunSummary) -> String {
        switch r.status {
        case _ where r.deletedAt != nil: "deleted (\(r.status.rawValue))"
        case .failed: r.status.rawValue + (r.failedCell.map { " at cell \($0)" } ?? "")
        // A resumed run that committed no cell stopped before the cell it resumed at.
        case .interrupted:
            r.status.rawValue
                + (r.lastCommittedCell.map { " after cell \($0)" } ?? " before cell \(r.resumedAtCell ?? 1)")
        default: r.status.rawValue
        }
    }
}
