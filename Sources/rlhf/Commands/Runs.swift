import ArgumentParser
import Store

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every run in the store, newest last.")

    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        let runs = try failing { try store.openReadOnly().runs() }
        if json { return print(try Format.json(runs)) }
        if runs.isEmpty { return print("no runs yet") }
        print(Format.table(
            ["RUN", "STATUS", "NOTEBOOK", "STARTED", "CELLS", "OBJECTS", "VERSIONS", "METRICS"],
            runs.map { r in
                ["\(r.id)", r.status.rawValue + (r.failedCell.map { " at cell \($0)" } ?? ""), r.notebook ?? "(shell)",
                 r.startedAt, "\(r.cells)", "\(r.objects)", "\(r.versions)", "\(r.metrics)"]
            }))
    }
}
