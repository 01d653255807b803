import Store

/// RFC 4180 CSV, one line per row as it is read: a field holding a comma, a quote, a carriage return or a line
/// feed is quoted, with quotes doubled.
struct QueryCSVPrinter: QueryPrinter {
    let write: (String) -> Void

    mutating func begin(columns: [String]) {
        write(columns.map(Self.field).joined(separator: ","))
    }

    mutating func add(_ row: [QueryCell]) {
        write(row.map { Self.field($0.plainText) }.joined(separator: ","))
    }

    mutating func end() {}

    static func field(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
