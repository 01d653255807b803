/// A bracket or string still open at the end of some source: the shell reads another line while there is one, and
/// reports it when the input ends first (`<shell>:1:14: error: input ended inside the block '{' opened here`).
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
        var scanner = Scanner()
        var line = ""
        for character in source {
            if character.isNewline {
                scanner.scan(line: line)
                line = ""
            } else {
                line.append(character)
            }
        }
        scanner.scan(line: line)
        return scanner.innermost
    }

    /// Scans input a line at a time, so that a shell reading a long statement line by line does linear work in all.
    public struct Scanner: Sendable {
        private var open: [OpenConstruct] = []
        private var string: OpenConstruct?
        private var escaped = false
        private var lines = 0

        public init() {}

        /// The innermost construct open after the lines scanned so far.
        public var innermost: OpenConstruct? { string ?? open.last }

        /// Scans one more line (without its line break).
        public mutating func scan(line text: String) {
            lines += 1
            var column = 0
            for character in text {
                column += 1
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
                case "\"": string = OpenConstruct(opener: character, line: lines, column: column)
                case "(", "[", "{": open.append(OpenConstruct(opener: character, line: lines, column: column))
                case ")", "]", "}": _ = open.popLast()
                case "#": return
                default: break
                }
            }
            // A line break ends an escape: `"a\` then a new line continues the string, as before.
            escaped = false
        }
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
