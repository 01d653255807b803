import ArgumentParser
import Foundation
import Store
import Web

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Write one self-contained HTML page about a run (cells, charts, metric curves, versions) or about a sweep or several runs (comparison, means with intervals).",
        discussion:
            "The page needs no network: charts are inline SVG and the style is embedded. Open it in any browser.")

    @OptionGroup var store: StoreOptions
    @Argument(
        help: ArgumentHelp(
            "Run id; several runs make a comparison page, as `rlhf compare` groups them.", valueName: "run"))
    var runIDs: [Int64] = []
    @Option(help: ArgumentHelp("Report on this sweep: its comparison, means with intervals, runs.", valueName: "id"))
    var sweep: Int64?
    @Option(name: .shortAndLong, help: ArgumentHelp("The HTML file to write.", valueName: "file")) var output =
        "run.html"

    func validate() throws {
        if runIDs.isEmpty && sweep == nil { throw ValidationError("Missing expected argument '<run>' (or --sweep ID)") }
        if !runIDs.isEmpty && sweep != nil { throw ValidationError("give runs or --sweep ID, not both") }
    }

    private func write(_ html: String) throws {
        do {
            try Data(html.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            printError("error: cannot write '\(output)': \(FileProblem.reason(error))")
            throw ExitCode.failure
        }
    }

    func run() throws {
        // An empty path would name the working directory, not a file.
        if output.isEmpty {
            printError("error: -o needs the path of the HTML file to write; it is empty")
            throw ExitCode.failure
        }
        let lab = try store.openReadOnly()
        if sweep != nil || runIDs.count > 1 {
            let report = try failing {
                if let sweep { return try SweepReport(store: lab, sweep: sweep) }
                return try SweepReport(store: lab, runs: runIDs)
            }
            try write(report.html)
            return print(
                "wrote \(output) (\(counted(report.comparison.groups.count, "row")), "
                    + "\(counted(report.charts.count, "chart")), \(counted(report.runs.count, "run")))")
        }
        let report = try failing { try RunReport(store: lab, run: runIDs[0]) }
        try write(report.html)
        print(
            "wrote \(output) (\(counted(report.detail.cells.count, "cell")), \(counted(report.artifacts.count, "chart")), "
                + "\(counted(report.metricSeries.count, "metric curve")))")
    }
}

/// "1 chart", "2 charts".
func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
