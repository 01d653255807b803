import ArgumentParser
import Foundation
import Store
import Web

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare runs: one row per parameter setting, each metric's final value as mean ± 95% interval.",
        discussion: """
            With --sweep ID, one row per grid point of the sweep, over its seeds (each seed's latest succeeded run). \
            With run ids or names, the runs grouped by their parameters other than `run_seed`; the columns are the \
            parameters that differ. The interval is mean ± t(0.975, n−1)·s/√n over the n runs of a row (Student t, \
            s the sample standard deviation); a row of one run has no interval.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("Runs to compare (ids or names).", valueName: "run")) var runs: [String] = []
    @Option(help: ArgumentHelp("Compare the runs of this sweep.", valueName: "id")) var sweep: Int64?
    @Option(name: .customLong("metric"), help: ArgumentHelp("Show only this metric (repeatable).", valueName: "name"))
    var metrics: [String] = []
    @Flag(help: "Print JSON instead of a table.") var json = false
    @Flag(help: "Print CSV instead of a table.") var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("give --json or --csv, not both") }
        if sweep == nil && runs.isEmpty { throw ValidationError("give runs to compare, or --sweep ID") }
        if sweep != nil && !runs.isEmpty { throw ValidationError("give runs or --sweep ID, not both") }
    }

    func run() throws {
        let lab = try store.openReadOnly()
        var comparison = try failing {
            if let sweep { return try lab.comparison(sweep: sweep) }
            return try lab.comparison(runs: try runs.map { try lab.runID($0) })
        }
        if !metrics.isEmpty {
            for name in metrics where !comparison.metricNames.contains(name) {
                let known = comparison.metricNames.isEmpty ? "none" : comparison.metricNames.joined(separator: ", ")
                printError("error: no run compared logged metric '\(name)' (metrics: \(known))")
                throw ExitCode.failure
            }
            comparison.metricNames = metrics
        }
        if json { return print(try Format.json(comparison)) }
        if csv { return print(Self.csv(comparison), terminator: "") }
        print(Self.table(comparison))
    }

    static func table(_ c: Comparison) -> String {
        let header = ["POINT"] + c.parameterNames + ["N"] + c.metricNames
        let rows = c.groups.enumerated().map { index, group in
            ["\(index + 1)"] + group.parameters.map(\.value) + ["\(group.runs.count)"]
                + c.metricNames.map { TextFormat.meanInterval(group.metrics[$0]) }
        }
        var text = Format.table(header, rows)
        for (index, group) in c.groups.enumerated() where !group.pending.isEmpty {
            let seeds = group.pending.map(String.init).joined(separator: ", ")
            text += "\npoint \(index + 1): no succeeded run yet for seed\(group.pending.count == 1 ? "" : "s") \(seeds)"
        }
        return text
    }

    /// One line per row: the parameters, n, then each metric's mean, interval low and high (empty when none).
    static func csv(_ c: Comparison) -> String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        func number(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }
        let header =
            c.parameterNames + ["n"] + c.metricNames.flatMap { ["\($0)_mean", "\($0)_low", "\($0)_high"] }
        var lines = [header.map(field).joined(separator: ",")]
        for group in c.groups {
            let metrics = c.metricNames.flatMap { name -> [String] in
                let m = group.metrics[name]
                return [number(m?.mean), number(m?.low), number(m?.high)]
            }
            lines.append(
                (group.parameters.map(\.value) + ["\(group.runs.count)"] + metrics).map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
