import Store

/// Aligned columns for the terminal. The first ``sampleRows`` rows are held to size the columns; later rows are
/// printed as they come with those widths, so memory stays bounded. Control characters in text are shown escaped
/// (`\n`, `\u{1B}`), so stored text cannot break the table's lines or send the terminal escape sequences, and a cell
/// longer than ``Excerpt/queryWidth`` characters (a text preference's continuation, a notebook's source) is cut with
/// `…`: `--json` and `--csv` print it whole.
struct QueryTablePrinter: QueryPrinter {
    static let sampleRows = 1000

    let write: (String) -> Void
    private var header: [String] = []
    private var sample: [[String]] = []
    private var layout: TableLayout?

    init(write: @escaping (String) -> Void) { self.write = write }

    mutating func begin(columns: [String]) {
        header = columns.map(Self.visible)
    }

    mutating func add(_ row: [QueryCell]) {
        let cells = row.map { Excerpt.head($0.plainText, width: Excerpt.queryWidth) }
        if let layout { return write(layout.line(cells)) }
        sample.append(cells)
        if sample.count == Self.sampleRows { flush() }
    }

    mutating func end() {
        if layout == nil { flush() }
    }

    private mutating func flush() {
        let layout = TableLayout(header: header, rows: sample)
        write(layout.line(header))
        for row in sample { write(layout.line(row)) }
        sample = []
        self.layout = layout
    }

    /// The text with control characters (C0, DEL, C1) written as escapes.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var shown = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": shown += "\\n"
            case "\r": shown += "\\r"
            case "\t": shown += "\\t"
            case _ where isControl(scalar): shown += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
