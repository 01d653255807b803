import Language
import Store

/// A JSON array with one object per row, keys in column order, written as the rows are read (one object a line).
///
/// Valid JSON whatever the result's shape: a column name that repeats an earlier one gets `:2`, `:3`… (`id`,
/// `id:2` for `SELECT * FROM runs JOIN cells …`); integers are numbers, reals numbers or, when not finite, the
/// strings `"inf"`, `"-inf"`, `"nan"` (as `--json` writes them elsewhere); text is escaped (invalid UTF-8 was
/// already repaired to U+FFFD when read); a blob is `{"blob_bytes": N}`, or its bytes in the ``QueryBlobForm`` asked.
struct QueryJSONPrinter: QueryPrinter {
    let write: (String) -> Void
    var blobs = QueryBlobForm.size
    private var columns: [String] = []
    private var keys: [String] = []
    private var rows = 0
    /// The latest row's line, held until the next row (which gives it its comma) or the end.
    private var pending: String?

    init(write: @escaping (String) -> Void, blobs: QueryBlobForm = .size) {
        self.write = write
        self.blobs = blobs
    }

    mutating func begin(columns: [String]) {
        self.columns = columns
        keys = Self.uniqueKeys(columns).map(Value.jsonString)
    }

    mutating func add(_ row: [QueryCell]) throws {
        rows += 1
        let members = try zip(zip(keys, columns), row).map { names, cell in
            guard case .bytes(let bytes) = cell else { return "\(names.0): \(Self.value(cell))" }
            return "\(names.0): \(try blobs.json(bytes, column: names.1, row: rows))"
        }
        if let pending {
            write(pending + ",")
        } else {
            write("[")
        }
        pending = "  {" + members.joined(separator: ", ") + "}"
    }

    mutating func end() {
        guard let pending else { return write("[]") }
        write(pending)
        write("]")
    }

    /// The column names, each repeated name made unique by a `:N` suffix.
    static func uniqueKeys(_ names: [String]) -> [String] {
        var used = Set<String>()
        return names.map { name in
            var key = name
            var n = 1
            while used.contains(key) {
                n += 1
                key = "\(name):\(n)"
            }
            used.insert(key)
            return key
        }
    }

    static func value(_ cell: QueryCell) -> String {
        switch cell {
        case .null: "null"
        case .integer(let integer): "\(integer)"
        case .real(let real) where real.isNaN: "\"nan\""
        case .real(let real) where real.isInfinite: real < 0 ? "\"-inf\"" : "\"inf\""
        case .real(let real): "\(real)"
        case .text(let text): Value.jsonString(text)
        case .blob(let bytes): "{\"blob_bytes\": \(bytes)}"
        case .bytes(let bytes): "{\"blob_bytes\": \(bytes.count)}"
        }
    }
}
