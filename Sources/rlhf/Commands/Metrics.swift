import ArgumentParser
import Foundation
import Store

struct Metrics: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Print a run's metric series: a summary of each, or every point of one (--name), as text, CSV or JSON.",
        discussion: """
            Without --name, one line per series (points, steps, first, last, min and max value); --csv and --json \
            then print every point of every series. With --name, every point of that series.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The run.", valueName: "run")) var runID: Int64
    @Option(help: ArgumentHelp("One series, e.g. rm.loss.", valueName: "name")) var name: String?
    @Flag(help: "Print CSV (run,name,step,value).") var csv = false
    @Flag(help: "Print JSON: a list of series with their steps and values.") var json = false

    /// One series in `--json` output.
    struct Series: Encodable {
        var name: String
        var steps: [Int]
        var values: [Double]
    }

    func validate() throws {
        if csv && json { throw ValidationError("choose one of --csv and --json") }
    }

    func run() throws {
        let lab = try store.openReadOnly()
        try failing {
            if let name, try !lab.metricNames(run: runID).contains(name) {
                let names = try lab.metricNames(run: runID)
                throw ValidationError(
                    "run \(runID) has no metric '\(name)'"
                        + (names.isEmpty ? " (it has no metrics)" : " (metrics: \(names.joined(separator: ", ")))"))
            }
        }
        if csv { return try failing { try printCSV(lab) } }
        if json || name != nil {
            var series: [Series] = []
            try failing {
                try lab.forEachMetricPoint(run: runID, name: name) { name, step, value in
                    if series.last?.name != name { series.append(Series(name: name, steps: [], values: [])) }
                    series[series.count - 1].steps.append(step)
                    series[series.count - 1].values.append(value)
                }
            }
            if json { return print(try Format.json(series)) }
            let points = series.flatMap { s in zip(s.steps, s.values) }
            return print(Format.table(["STEP", "VALUE"], points.map { ["\($0.0)", Format.number($0.1)] }))
        }
        let summaries = try failing { try lab.metricSummaries(run: runID) }
        if summaries.isEmpty { return print("run \(runID) has no metrics") }
        print(
            Format.table(
                ["NAME", "POINTS", "STEPS", "FIRST", "LAST", "MIN", "MAX"],
                summaries.map { s in
                    [
                        s.name, "\(s.points)", "\(s.firstStep)–\(s.lastStep)", Format.number(s.first),
                        Format.number(s.last), Format.number(s.min), Format.number(s.max),
                    ]
                }))
    }

    /// Every point as `run,name,step,value`, written as SQLite hands the rows over (a million rows print in a
    /// fraction of a second this way; one `print` per line took seconds).
    private func printCSV(_ lab: LabStore) throws {
        var out = OutputBuffer()
        out.write("run,name,step,value\n")
        let prefix = Array("\(runID),".utf8)
        var current = "", nameBytes: [UInt8] = []
        try lab.forEachMetricPoint(run: runID, name: name) { series, step, value in
            if series != current {
                current = series
                nameBytes = Array("\(series),".utf8)
            }
            out.write(prefix)
            out.write(nameBytes)
            out.write(decimal: step)
            out.write(byte: UInt8(ascii: ","))
            // What "\(value)" prints (`description`, `nan` for NaN), without building a string for it.
            value.write(to: &out)
            out.write(byte: UInt8(ascii: "\n"))
        }
        out.flush()
    }
}
