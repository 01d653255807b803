/// One cell of a percent-format cell file (`# %% title [markdown] key=value`).
public struct Cell: Sendable, Equatable {
    /// Whether a cell holds code to run or markdown prose to show.
    public enum Kind: String, Sendable, Equatable {
        case code
        case markdown
    }

    /// A `key=value` option from the cell's marker line, in the order written.
    public struct Option: Sendable, Equatable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// 1-based position among all cells of the file (markdown cells included).
    public var ordinal: Int
    /// Stable identity across edits: the `id=` option, or the ordinal as a string.
    public var key: String
    /// The title words of the marker line (`# %% setup id=setup` → `"setup"`), possibly empty.
    public var title: String
    /// `.markdown` when the marker says `[markdown]`; markdown cells are kept but never executed.
    public var kind: Kind
    /// The marker's `key=value` options, in order (`id` included).
    public var options: [Option]
    /// The cell's text: the lines after the marker up to the next marker, joined with `\n`.
    public var source: String
    /// The file line (1-based) of the cell's first source line, so diagnostics point into the file.
    public var firstLine: Int

    /// Creates a cell; normally produced by `CellFile.parse(path:text:)`.
    public init(ordinal: Int, key: String, title: String, kind: Kind, options: [Option], source: String, firstLine: Int)
    {
        self.ordinal = ordinal
        self.key = key
        self.title = title
        self.kind = kind
        self.options = options
        self.source = source
        self.firstLine = firstLine
    }

    /// The value of option `key`, if the marker line set it.
    public func option(_ key: String) -> String? {
        options.last(where: { $0.key == key })?.value
    }

    /// True for a papermill-style parameters cell (`# %% parameters`), whose assignments `--param` can override.
    public var isParameters: Bool {
        kind == .code && title.split(separator: " ").contains("parameters")
    }

    /// For markdown cells: the text with each line's leading `# ` comment marker removed.
    public var markdownText: String {
        SourceText.lines(of: source).map { line in
            var text = Substring(line)
            if text.hasPrefix("# ") {
                text = text.dropFirst(2)
            } else if text.hasPrefix("#") {
                text = text.dropFirst()
            }
            return String(text)
        }.joined(separator: "\n")
    }

    /// Parses this cell's source into statements, reporting every syntax error of the cell.
    ///
    /// - Throws: `DiagnosticList` with all syntax errors, located in the file.
    public func parse(file: String) throws -> [Stmt] {
        try Parser.parse(source: source, file: file, firstLine: firstLine)
    }
}
