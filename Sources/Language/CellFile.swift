import Foundation

/// A notebook in percent format (Jupytext / VS Code compatible), split into cells.
///
/// ```
/// # %% [markdown]
/// # # Quickstart
/// # %% setup id=setup
/// seed(42)
/// ```
/// A cell starts at a line matching `^\s*#\s*%%`. Lines before the first marker form cell 1 unless they are
/// only blank lines and comments.
public struct CellFile: Sendable, Equatable {
    /// The path the file was read from (used in diagnostics).
    public var path: String
    /// The cells in file order.
    public var cells: [Cell]

    /// Creates a cell file from already-split cells.
    public init(path: String, cells: [Cell]) {
        self.path = path
        self.cells = cells
    }

    /// Reads and splits the file at `path`.
    ///
    /// - Throws: ``UnreadableNotebook`` if it cannot be read; a `Diagnostic` if it is not UTF-8 or too large.
    public static func load(path: String) throws -> CellFile {
        parse(path: path, text: try readText(path: path))
    }

    /// The text of the file at `path`, checked by `SourceBytes`: UTF-8 (else an error at the first bad byte) and at
    /// most `SourceBytes.maximumFileBytes` long (checked before reading it).
    ///
    /// - Throws: ``UnreadableNotebook`` if it is missing, not a regular file or cannot be read; a `Diagnostic` if it
    ///   is not UTF-8 or too large.
    public static func readText(path: String) throws -> String {
        try UnreadableNotebook.check(path)
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > SourceBytes.maximumFileBytes {
            throw Diagnostic(
                location: SourceLocation(file: path, line: 1, column: 1),
                message:
                    "file is \(size) bytes; the limit is \(SourceBytes.maximumFileBytes) (64 MB): split the notebook")
        }
        let data = try UnreadableNotebook.contents(of: path)
        return try SourceBytes.text(of: [UInt8](data), file: path)
    }

    /// Splits `text` into cells. Never fails: anything that is not a marker line belongs to a cell.
    public static func parse(path: String, text: String) -> CellFile {
        let lines = SourceText.lines(of: text)
        var cells: [Cell] = []
        var header: Marker?
        var body: [String] = []
        var bodyStart = 1

        func flush() {
            if header == nil && body.allSatisfy({ isBlankOrComment($0) }) { return }
            let marker = header ?? Marker(title: "", isMarkdown: false, options: [])
            let ordinal = cells.count + 1
            cells.append(
                Cell(
                    ordinal: ordinal,
                    key: marker.options.last(where: { $0.key == "id" })?.value ?? String(ordinal),
                    title: marker.title,
                    kind: marker.isMarkdown ? .markdown : .code,
                    options: marker.options,
                    source: body.joined(separator: "\n"),
                    firstLine: bodyStart))
        }

        for (index, line) in lines.enumerated() {
            if let marker = Marker(line: line) {
                flush()
                header = marker
                body = []
                bodyStart = index + 2
            } else {
                body.append(line)
            }
        }
        flush()
        return CellFile(path: path, cells: cells)
    }

    /// The code cells, in order (markdown cells are not executed).
    public var codeCells: [Cell] { cells.filter { $0.kind == .code } }

    /// The cell with stable key `key`, if any.
    public func cell(key: String) -> Cell? { cells.first { $0.key == key } }

    /// The options a marker line may set. Anything else is a typo the user should hear about (an ignored `idd=x`
    /// would silently give the cell its ordinal as key).
    public static let knownOptions = ["id"]

    /// Every problem found without running anything: bad marker options, syntax errors of all code cells (the parser
    /// keeps going after an error, and one cell's errors do not hide another's) and duplicate cell ids.
    public func diagnostics() -> [Diagnostic] {
        var found: [Diagnostic] = []
        var seen: Set<String> = []
        for cell in cells {
            let header = SourceLocation(file: path, line: max(1, cell.firstLine - 1), column: 1)
            found += Self.optionProblems(cell.options).map { Diagnostic(location: header, message: $0) }
            if !seen.insert(cell.key).inserted && !cell.key.isEmpty {
                found.append(Diagnostic(location: header, message: "duplicate cell id '\(cell.key)'"))
            }
            guard cell.kind == .code else { continue }
            var parser = Parser(source: cell.source, file: path, firstLine: cell.firstLine)
            _ = parser.parse()
            found += parser.diagnostics
        }
        return found
    }

    /// What is wrong with a marker line's options: an empty `id=`, an option given twice, an unknown option.
    private static func optionProblems(_ options: [Cell.Option]) -> [String] {
        var problems: [String] = []
        var given: Set<String> = []
        for option in options {
            if !knownOptions.contains(option.key) {
                let known = knownOptions.map { "'\($0)'" }.joined(separator: ", ")
                problems.append(
                    "unknown cell option '\(option.key)'\(Diagnostic.didYouMean(option.key, among: knownOptions)) "
                        + "(known: \(known))")
            } else if !given.insert(option.key).inserted {
                problems.append("duplicate cell option '\(option.key)': give it once")
            } else if option.key == "id" && option.value.isEmpty {
                problems.append("empty cell id: write id=NAME or leave the option out (the key is then the ordinal)")
            }
        }
        return problems
    }

    private static func isBlankOrComment(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed.hasPrefix("#")
    }

    /// The parsed rest of a `# %%` line.
    private struct Marker {
        var title: String
        var isMarkdown: Bool
        var options: [Cell.Option]

        init(title: String, isMarkdown: Bool, options: [Cell.Option]) {
            self.title = title
            self.isMarkdown = isMarkdown
            self.options = options
        }

        /// Recognises `^\s*#\s*%%` and parses what follows; nil for any other line.
        init?(line: String) {
            var rest = Substring(line).drop(while: { $0 == " " || $0 == "\t" })
            guard rest.first == "#" else { return nil }
            rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
            guard rest.hasPrefix("%%") else { return nil }
            rest = rest.dropFirst(2)
            var titleWords: [String] = []
            var isMarkdown = false
            var options: [Cell.Option] = []
            for word in Marker.words(rest) {
                if word.hasPrefix("[") && word.hasSuffix("]") {
                    if word.lowercased() == "[markdown]" || word.lowercased() == "[md]" { isMarkdown = true }
                } else if let equals = word.firstIndex(of: "="), equals != word.startIndex {
                    var value = String(word[word.index(after: equals)...])
                    if value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") {
                        value = String(value.dropFirst().dropLast())
                    }
                    options.append(Cell.Option(key: String(word[..<equals]), value: value))
                } else {
                    titleWords.append(word)
                }
            }
            self.init(title: titleWords.joined(separator: " "), isMarkdown: isMarkdown, options: options)
        }

        /// Splits on whitespace, keeping `key="quoted value"` together.
        private static func words(_ text: Substring) -> [String] {
            var words: [String] = []
            var current = ""
            var inQuotes = false
            for character in text {
                if character == "\"" { inQuotes.toggle() }
                if (character == " " || character == "\t") && !inQuotes {
                    if !current.isEmpty { words.append(current) }
                    current = ""
                } else {
                    current.append(character)
                }
            }
            if !current.isEmpty { words.append(current) }
            return words
        }
    }
}
