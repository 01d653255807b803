/// A bracket or string still open at the end of some source: the shell reads another line while there is one, and
/// reports it when the input ends first (`<stdin>:1:14: error: input ended inside the block '{' opened here`).
public struct OpenConstruct: Sendable, Equatable {
    /// `(`, `[`, `{` or `"`.
    public var opener: Character
    /// 1-based line of the opener within the source.
    public var line: Int
    /// 1-based column (in characters) of the opener on its line.
    public var column: Int

    /// The innermost construct open at the end of `source` (brackets and strings; `#` comments are skipped), or nil
    /// when every bracket and string is closed. A closer with nothing open is left for the parser to report.
    public static func innermost(in source: String) -> OpenConstruct? {
        var open: [OpenConstruct] = []
        var string: OpenConstruct?
        var escaped = false
        var inComment = false
        var line = 1
        var column = 0
        for character in source {
            if character.isNewline {
                line += 1
                column = 0
                inComment = false
                continue
            }
            column += 1
            if inComment { continue }
            if string != nil {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    string = nil
                }
                continue
            }
            switch character {
            case "\"": string = OpenConstruct(opener: character, line: line, column: column)
            case "(", "[", "{": open.append(OpenConstruct(opener: character, line: line, column: column))
            case ")", "]", "}": _ = open.popLast()
            case "#": inComment = true
            default: break
            }
        }
        return string ?? open.last
    }

    /// What is missing: `input ended inside the block '{' opened here; expected '}'`.
    public var message: String {
        switch opener {
        case "\"": return "input ended inside the string opened here; expected '\"'"
        case "{": return "input ended inside the block '{' opened here; expected '}'"
        case "[": return "input ended inside the list '[' opened here; expected ']'"
        default: return "input ended inside the parenthesis '(' opened here; expected ')'"
        }
    }
}
