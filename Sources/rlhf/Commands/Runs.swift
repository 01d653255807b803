import ArgumentParser
import Foundation
import Store
import Web

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every run in the store, newest last.",
        discussion: """
            --columns params,metrics,tags adds a column per parameter (from the parameters cell and --param), per \
            metric series (its last value) and the run's tags, as MLflow's runs table does.
            """)

    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON instead of a table.") var json = false
    @Flag(help: "Include runs marked deleted (rlhf rm) that rlhf gc has not purged yet.") var all = false
    @Option(
        help: ArgumentHelp(
            "Extra columns, comma-separated: params, metrics, tags.", valueName: "groups"))
    var columns: String?

    enum ColumnGroup: String, CaseIterable {
        case params, metrics, tags
    }

    /// The groups --columns asks for, in the order given.
    func columnGroups() throws -> [ColumnGroup] {
        guard let columns else { return [] }
        return try columns.split(separator: ",", omittingEmptySubsequences: false).map { part in
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let group = ColumnGroup(rawValue: name) else {
                throw ValidationError(
                    "unknown column group '\(name)' in --columns '\(columns)' (use params, metrics, tags)")
            }
            return group
        }
    }

    func validate() throws { _ = try columnGroups() }

    func run() throws {
        let lab = try store.openReadOnly()
        let runs = try failing { try lab.runs(includingDeleted: all) }
        let groups = try columnGroups()
        let finals = groups.contains(.metrics) ? try failing { try lab.finalMetrics(runs: runs.map(\.id)) } : [:]
        if json {
            if !groups.contains(.metrics) { return print(try Format.json(runs)) }
            return print(try Format.json(runs.map { RunWithMetrics(run: $0, finalMetrics: finals[$0.id] ?? [:]) }))
        }
        if runs.isEmpty { return print("no runs yet") }
        var header = ["RUN", "STATUS", "NOTEBOOK", "STARTED", "CELLS", "OBJECTS", "VERSIONS", "METRICS"]
        var rows = runs.map { r in
            [
                "\(r.id)", status(r), r.notebook ?? "(shell)",
                r.startedAt, "\(r.cells)", "\(r.objects)", "\(r.versions)", "\(r.metrics)",
            ]
        }
        // A NAME column only in stores that name runs, so listings of unnamed runs read as they always have.
        if runs.contains(where: { $0.name != nil }) {
            header.insert("NAME", at: 1)
            for i in runs.indices { rows[i].insert(runs[i].name ?? "-", at: 1) }
        }
        // An ORIGIN column only when a run was replayed or resumed from another, for the same reason.
        if runs.contains(where: { origin($0) != nil }), let notebook = header.firstIndex(of: "NOTEBOOK") {
            header.insert("ORIGIN", at: notebook + 1)
            for i in runs.indices { rows[i].insert(origin(runs[i]) ?? "-", at: notebook + 1) }
        }
        for group in groups {
            switch group {
            case .tags:
                header.append("TAGS")
                for i in runs.indices {
                    rows[i].append(runs[i].tags.isEmpty ? "-" : runs[i].tags.joined(separator: ","))
                }
            case .params:
                let (names, values) = RunParameters.columns(runs.map(\.parameters))
                header += names
                for i in runs.indices { rows[i] += names.map { values[i][$0] ?? "-" } }
            case .metrics:
                let names = Set(finals.values.flatMap(\.keys)).sorted()
                header += names
                for i in runs.indices {
                    rows[i] += names.map { name in finals[runs[i].id]?[name].map(Format.number) ?? "-" }
                }
            }
        }
        print(Format.table(header, rows))
    }

    /// `replay of 1`, `continues 4 from cell 3` (`--resume`, `--cells`); nil for a run of its own.
    private func origin(_ r: RunSummary) -> String? {
        if let original = r.replayOf { return "replay of \(original)" }
        return r.parentRun.map { "continues \($0) from cell \(r.resumedAtCell ?? 1)" }
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
