import ArgumentParser
import Foundation
import Store

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Write one self-contained HTML page about a run: cells with source, output and charts, metric curves, versions.",
        discussion:
            "The page needs no network: charts are inline SVG and the style is embedded. Open it in any browser.")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("Run id.", valueName: "run")) var runID: Int64
    @Option(name: .shortAndLong, help: ArgumentHelp("The HTML file to write.", valueName: "file")) var output =
        "run.html"

    func run() throws {
        // An empty path would name the working directory, not a file.
        if output.isEmpty {
            printError("error: -o needs the path of the HTML file to write; it is empty")
            throw ExitCode.failure
        }
        let lab = try store.openReadOnly()
        let report = try failing { try RunReport(store: lab, run: runID) }
        do {
            try Data(report.html.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            printError("error: cannot write '\(output)': \(FileProblem.reason(error))")
            throw ExitCode.failure
        }
        print(
            "wrote \(output) (\(counted(report.detail.cells.count, "cell")), \(counted(report.artifacts.count, "chart")), "
                + "\(counted(report.metricSeries.count, "metric curve")))")
    }
}

/// "1 chart", "2 charts".
private func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
