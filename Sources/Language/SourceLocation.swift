/// A position in a cell file: the file's path and a 1-based line and column.
///
/// Every token, AST node and diagnostic carries one, so that errors read
/// `quickstart.rlhf:14:9: error: …`.
public struct SourceLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The path of the file, as given to the lexer (e.g. `notebooks/quickstart.rlhf` or `<repl>`).
    public var file: String
    /// 1-based line in the file.
    public var line: Int
    /// 1-based column (in characters) on that line.
    public var column: Int

    /// Creates a location. Lines and columns are 1-based.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col`, the prefix of every diagnostic.
    public var description: String { "\(file):\(line):\(column)" }
}
