/// An error raised while running a cell: a type mismatch, an unknown name, a bad argument, cancellation…
///
/// Built-ins may throw it without a location; the interpreter then locates it at the call.
public struct RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, naming the values involved (`cannot add list and number`).
    public var message: String
    /// The offending expression; nil until the interpreter fills in the call site.
    public var location: SourceLocation?
    /// Characters to underline.
    public var length: Int
    /// An extra hint line.
    public var note: String?

    /// The message of the error thrown when `isCancelled()` turns true.
    public static let cancelledMessage = "cancelled"

    /// Creates a runtime error.
    public init(_ message: String, at location: SourceLocation? = nil, length: Int = 1, note: String? = nil) {
        self.message = message
        self.location = location
        self.length = length
        self.note = note
    }

    /// True if this error reports cancellation rather than a fault in the cell.
    public var isCancellation: Bool { message == RuntimeError.cancelledMessage }

    /// The error as a diagnostic, with the quoted source line if known.
    public func diagnostic(sourceLine: String? = nil) -> Diagnostic {
        Diagnostic(
            location: location ?? SourceLocation(file: "<unknown>", line: 0, column: 0), message: message,
            sourceLine: location == nil ? nil : sourceLine, length: length, note: note)
    }

    public var description: String { diagnostic().description }
}
