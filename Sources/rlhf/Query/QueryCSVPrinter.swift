import Store

/// RFC 4180 CSV, one line per row as it is read: a field holding a comma, a quote, a carriage return or a line
/// feed is quoted, with quotes doubled. A blob is written in its ``QueryBlobForm``.
struct QueryCSVPrinter: QueryPrinter {
    let write: (String) -> Void
    var blobs = QueryBlobForm.size
    private var columns: [String] = []
    private var rows = 0

    init(write: @escaping (String) -> Void, blobs: QueryBlobForm = .size) {
        self.write = write
        self.blobs = blobs
    }

    mutating func begin(columns: [String]) {
        self.columns = columns
        write(columns.map(Self.field).joined(separator: ","))
    }

    mutating func add(_ row: [QueryCell]) throws {
        rows += 1
        let fields = try zip(columns, row).map { column, cell in
            guard case .bytes(let bytes) = cell else { return Self.field(cell.plainText) }
            return Self.field(try blobs.text(bytes, column: column, row: rows))
        }
        write(fields.joined(separator: ","))
    }

    mutating func end() {}

    static func field(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
