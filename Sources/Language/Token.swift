/// One lexical unit of the cell language, with where it was written.
public struct Token: Sendable, Equatable, CustomStringConvertible {
    /// Reserved words; they cannot be used as variable names.
    public enum Keyword: String, Sendable, CaseIterable {
        case `if`, `else`, `while`, `for`, `in`, `fn`, `return`, `true`, `false`, `nil`
        case and, or, not, `break`, `continue`
    }

    /// Operators and punctuation.
    public enum Symbol: String, Sendable, CaseIterable {
        case plus = "+"
        case minus = "-"
        case star = "*"
        case slash = "/"
        case percent = "%"
        case power = "**"
        case equalEqual = "=="
        case notEqual = "!="
        case less = "<"
        case lessEqual = "<="
        case greater = ">"
        case greaterEqual = ">="
        case equal = "="
        case plusEqual = "+="
        case minusEqual = "-="
        case starEqual = "*="
        case slashEqual = "/="
        case leftParen = "("
        case rightParen = ")"
        case leftBracket = "["
        case rightBracket = "]"
        case leftBrace = "{"
        case rightBrace = "}"
        case comma = ","
        case colon = ":"
        case dot = "."
        case at = "@"
        case arrow = "->"
    }

    /// What the token is, with its literal value where it has one.
    public enum Kind: Sendable, Equatable {
        case int(Int)
        case double(Double)
        /// A complete string literal, or the last segment of an interpolated one (after the final `\(…)`).
        case string(String)
        /// A string segment followed by an interpolation: `"loss \(` yields `.interpolation("loss ")`; the
        /// expression's tokens follow, then another `.interpolation` or a closing `.string`.
        case interpolation(String)
        case identifier(String)
        case keyword(Keyword)
        case symbol(Symbol)
        /// A statement separator: a line break (outside `(` `)` `[` `]`) or `;`.
        case newline
        case eof
    }

    public var kind: Kind
    /// The exact source text of the token (empty for end of input).
    public var lexeme: String
    /// Where the token starts.
    public var location: SourceLocation

    /// Creates a token.
    public init(kind: Kind, lexeme: String, location: SourceLocation) {
        self.kind = kind
        self.lexeme = lexeme
        self.location = location
    }

    /// Number of characters to underline in a diagnostic.
    public var length: Int { max(1, lexeme.count) }

    /// How the token is quoted in messages: `'('`, `'fit'`, `newline`, `end of input`.
    public var description: String {
        switch kind {
        case .newline: return lexeme == ";" ? "';'" : "newline"
        case .eof: return "end of input"
        default: return "'\(lexeme)'"
        }
    }
}
