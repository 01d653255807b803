import ArgumentParser
import Foundation
import Store

struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a read-only SQL query against the store (statements that write are refused).",
        discussion: "Tables: runs, cells, commits, objects, versions, version_tensors, blobs, feedback, metrics, bindings. See README.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The SQL to run.") var sql: String
    @Flag(help: "Print JSON (an array of objects).") var json = false
    @Flag(help: "Print CSV.") var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("choose one of --json and --csv") }
    }

    func run() throws {
        let result = try failing { try store.openReadOnly().query(sql) }
        if json {
            let objects = result.rows.map { row in
                Dictionary(uniqueKeysWithValues: zip(result.columns, row.map(JSONCell.init)))
            }
            return print(try Format.json(objects))
        }
        if csv {
            print(result.columns.map(csvField).joined(separator: ","))
            for row in result.rows { print(row.map { csvField(text($0)) }.joined(separator: ",")) }
            return
        }
        print(Format.table(result.columns, result.rows.map { $0.map(text) }))
    }

    private func text(_ cell: QueryCell) -> String {
        switch cell {
        case .null: "NULL"
        case let .integer(i): "\(i)"
        case let .real(d): "\(d)"
        case let .text(s): s
        case let .blob(n): "<blob \(n) bytes>"
        }
    }

    private func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

/// A query cell as JSON: numbers as numbers, text as strings, blobs as their size.
private enum JSONCell: Encodable {
    case null, integer(Int64), real(Double), text(String), blob(Int)
    init(_ cell: QueryCell) {
        switch cell {
        case .null: self = .null
        case let .integer(i): self = .integer(i)
        case let .real(d): self = .real(d)
        case let .text(s): self = .text(s)
        case let .blob(n): self = .blob(n)
        }
    }
    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .integer(i): try c.encode(i)
        case let .real(d): try c.encode(d)
        case let .text(s): try c.encode(s)
        case let .blob(n): try c.encode(["blob_bytes": n])
        }
    }
}
