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
        let points = try failing { () throws -> [(name: String, step: Int, value: Double)] in
            if let name, try !lab.metricNames(run: runID).contains(name) {
                let names = try lab.metricNames(run: runID)
                throw ValidationError(
                    "run \(runID) has no metric '\(name)'"
                        + (names.isEmpty ? " (it has no metrics)" : " (metrics: \(names.joined(separator: ", ")))"))
            }
            return try lab.metrics(run: runID, name: name)
        }
        var series: [Series] = []
        for point in points {
            if series.last?.name != point.name { series.append(Series(name: point.name, steps: [], values: [])) }
            series[series.count - 1].steps.append(point.step)
            series[series.count - 1].values.append(point.value)
        }
        if json { return print(try Format.json(series)) }
        if csv {
            print("run,name,step,value")
            for p in points { print("\(runID),\(p.name),\(p.step),\(p.value.isNaN ? "nan" : "\(p.value)")") }
            return
        }
        if series.isEmpty { return print("run \(runID) has no metrics") }
        if name != nil {
            return print(Format.table(["STEP", "VALUE"], points.map { ["\($0.step)", Format.number($0.value)] }))
        }
        print(
            Format.table(
                ["NAME", "POINTS", "STEPS", "FIRST", "LAST", "MIN", "MAX"],
                series.map { s in
                    let finite = s.values.filter { !$0.isNaN }
                    return [
                        s.name, "\(s.steps.count)", "\(s.steps.first ?? 0)–\(s.steps.last ?? 0)",
                        Format.number(s.values.first ?? .nan), Format.number(s.values.last ?? .nan),
                        Format.number(finite.min() ?? .nan), Format.number(finite.max() ?? .nan),
                    ]
                }))
    }
}
