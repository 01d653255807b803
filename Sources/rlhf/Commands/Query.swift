import ArgumentParser
import Foundation
import Store

struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a read-only SQL query against the store (statements that write are refused).",
        discussion: """
            Tables: runs, cells, commits, objects, versions, version_tensors, blobs, feedback, metrics, bindings, \
            and the v_* views. See README. Allowed: SELECT (also WITH RECURSIVE) over the store's tables and views, \
            pure functions (aggregates, math, text, date, json_*), and reporting pragmas such as \
            `PRAGMA table_info(runs)`; anything else is refused before any statement runs. Rows are printed as they \
            are read. In --json, a repeated column name gets :2, :3…; non-finite reals are "inf", "-inf", "nan".
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "The SQL to run.") var sql: String
    @Flag(help: "Print JSON (an array of objects).") var json = false
    @Flag(help: "Print CSV.") var csv = false
    @Option(
        help: ArgumentHelp(
            "Stop the query after this many seconds of work (at most 86400; waiting for the output to be read does not "
                + "count).", valueName: "seconds"))
    var timeout = "30"

    /// The longest `--timeout`: a day.
    static let longestTimeout = 86_400.0

    func validate() throws {
        if json && csv { throw ValidationError("choose one of --json and --csv") }
    }

    func run() throws {
        let seconds = try timeoutSeconds()
        let lab = try store.openReadOnly()
        var printer = makePrinter()
        do {
            try lab.query(sql, timeout: seconds, columns: { printer.begin(columns: $0) }, row: { printer.add($0) })
        } catch {
            fflush(nil)  // the rows printed so far, before the error
            printError("error: \(error)")
            throw ExitCode.failure
        }
        printer.end()
    }

    private func makePrinter() -> any QueryPrinter {
        let write: (String) -> Void = { print($0) }
        if json { return QueryJSONPrinter(write: write) }
        if csv { return QueryCSVPrinter(write: write) }
        return QueryTablePrinter(write: write)
    }

    /// `--timeout` as seconds: a plain decimal number above 0 and at most a day.
    private func timeoutSeconds() throws -> Double {
        let plain = !timeout.isEmpty && timeout.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard plain, let seconds = Double(timeout), seconds > 0, seconds <= Self.longestTimeout else {
            printError(
                "error: --timeout '\(timeout)' is not a number of seconds above 0 and at most "
                    + "\(Int(Self.longestTimeout)) (e.g. --timeout 30 or --timeout 0.5)")
            throw ExitCode.failure
        }
        return seconds
    }
}
