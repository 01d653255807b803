import ArgumentParser
import Foundation
import Store

struct ChartsExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charts",
        abstract: "Export the charts (SVG) a run's cells drew, one file each: CELL-KEY-NAME.svg.")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("Run id.", valueName: "run")) var runID: Int64
    @Option(name: .long, help: ArgumentHelp("Directory to write into (created if missing).", valueName: "dir")) var out = "charts"

    func run() throws {
        let artifacts = try failing { try store.openReadOnly().artifacts(run: runID) }
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        try failing { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        for artifact in artifacts {
            let cell = artifact.cell.map { "\($0)-\(artifact.cellKey ?? "")-" } ?? "commit\(artifact.commit)-"
            let file = folder.appendingPathComponent(cell + artifact.name)
            try failing { try artifact.data.write(to: file, options: .atomic) }
            print(file.path)
        }
        if artifacts.isEmpty { print("run \(runID) drew no charts") }
    }
}
