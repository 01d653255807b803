import ArgumentParser
import Foundation
import Store

struct ChartsExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charts",
        abstract: "Export the charts (SVG) a run's cells drew, one file each: CELL-KEY-NAME.svg.",
        discussion: """
            File names keep only A-Z a-z 0-9 . _ - from the cell's id and the chart's name (anything else becomes _), \
            never start with a dot, are at most 120 characters, and are made unique with -2, -3…; every file is \
            written inside DIR.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("Run id.", valueName: "run")) var runID: Int64
    @Option(name: .long, help: ArgumentHelp("Directory to write into (created if missing).", valueName: "dir"))
    var out = "charts"

    func run() throws {
        // An empty path would name the working directory, where the charts would land among other files.
        if out.isEmpty {
            printError("error: --out needs the path of a directory to write into; it is empty")
            throw ExitCode.failure
        }
        let artifacts = try failing { try store.openReadOnly().artifacts(run: runID) }
        var folder = try failing { try OutputFolder(path: out) }
        for artifact in artifacts {
            let cell = artifact.cell.map { "\($0)-\(artifact.cellKey ?? "")-" } ?? "commit\(artifact.commit)-"
            let file = try failing { try folder.write(artifact.data, named: cell + artifact.name) }
            print(file.path)
        }
        if artifacts.isEmpty { print("run \(runID) drew no charts") }
    }
}
