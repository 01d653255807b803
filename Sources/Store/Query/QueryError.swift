/// Why `rlhf query` stopped or refused a statement (SQL it cannot parse is a ``StoreError/sql(_:)``).
public enum QueryError: Error, CustomStringConvertible, Equatable {
    /// SQLite's authorizer (or the statement's own verdict) found something a read-only query may not do:
    /// what was refused, in the user's words, and the statement that asked for it.
    case refused(String, statement: String)
    /// The query ran past its time limit (`--timeout`), in seconds.
    case timedOut(seconds: Double)

    public var description: String {
        switch self {
        case .refused(let what, let statement):
            "`rlhf query` is read-only; refused \(what) in: \(Self.oneLine(statement))"
        case .timedOut(let seconds):
            "query stopped after \(Self.seconds(seconds)) s (--timeout)"
        }
    }

    /// The statement on one line (runs of whitespace become one space), cut at 200 characters.
    static func oneLine(_ statement: String) -> String {
        let words = statement.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        let line = words.joined(separator: " ")
        return line.count > 200 ? line.prefix(200) + "…" : line
    }

    /// `30` for whole seconds, `0.5` otherwise.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
