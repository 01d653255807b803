/// Several diagnostics thrown together — e.g. every syntax error of a cell file, in source order.
public struct DiagnosticList: Error, Sendable, Equatable, CustomStringConvertible {
    /// The diagnostics, in the order they were found.
    public var diagnostics: [Diagnostic]

    /// Wraps a list of diagnostics.
    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// Each diagnostic's description, separated by newlines.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
