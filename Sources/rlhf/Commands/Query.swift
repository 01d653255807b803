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

            Blobs: by default --json shows a blob as {"blob_bytes": N} and --csv as <blob N bytes>. --blobs base64 or \
            --blobs hex writes its bytes as a string; --blobs floats reads them as little-endian Float32 values (a \
            tensor's, a feedback vector's) and writes a JSON array of numbers, or in CSV the numbers separated by \
            spaces; a blob whose length is not a multiple of 4 is an error naming its column and row. Example: \
            rlhf query --json --blobs floats "SELECT t.name, b.data FROM version_tensors t JOIN blobs b ON \
            b.hash = t.blob_hash WHERE t.version_id = 1"
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "The SQL to run.") var sql: String
    @Flag(help: "Print JSON (an array of objects).") var json = false
    @Flag(help: "Print CSV.") var csv = false
    @Option(
        help: ArgumentHelp(
            "How --json and --csv write a blob: size (its size only), base64, hex, or floats (little-endian Float32 "
                + "values).", valueName: "form"))
    var blobs = QueryBlobForm.size
    @Option(
        help: ArgumentHelp(
            "Stop the query after this many seconds of work (at most 86400; waiting for the output to be read does not "
                + "count).", valueName: "seconds"))
    var timeout = "30"

    /// The longest `--timeout`: a day.
    static let longestTimeout = 86_400.0

    func validate() throws {
        if json && csv { throw ValidationError("choose one of --json and --csv") }
        if blobs != .size && !json && !csv {
            throw ValidationError("--blobs \(blobs.rawValue) needs --json or --csv (the table shows a blob's size)")
        }
    }

    func run() throws {
        let seconds = try timeoutSeconds()
        let lab = try store.openReadOnly()
        var printer = makePrinter()
        do {
            try lab.query(
                sql, timeout: seconds, readsBlobs: blobs.readsBytes, columns: { printer.begin(columns: $0) },
                row: { try printer.add($0) })
        } catch {
            fflush(nil)  // the rows printed so far, before the error
            printError("error: \(error)")
            throw ExitCode.failure
        }
        printer.end()
    }

    private func makePrinter() -> any QueryPrinter {
        let write: (String) -> Void = { print($0) }
        if json { return QueryJSONPrinter(write: write, blobs: blobs) }
        if csv { return QueryCSVPrinter(write: write, blobs: blobs) }
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
