import Store

/// Prints a query's result as it streams: the column names once, then each row as it is read, then the end.
protocol QueryPrinter {
    mutating func begin(columns: [String])
    /// Throws when a value cannot be written in the chosen form (``QueryBlobError``).
    mutating func add(_ row: [QueryCell]) throws
    mutating func end()
}

extension QueryCell {
    /// The cell as plain text: `NULL`, the number (`inf`, `-inf`, `nan` for non-finite reals), the text as
    /// stored, or `<blob N bytes>` (whether or not its bytes were read).
    var plainText: String {
        switch self {
        case .null: "NULL"
        case .integer(let integer): "\(integer)"
        case .real(let real): "\(real)"
        case .text(let text): text
        case .blob(let bytes): "<blob \(bytes) bytes>"
        case .bytes(let bytes): "<blob \(bytes.count) bytes>"
        }
    }
}
