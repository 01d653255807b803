/// Turns source text into tokens (the scanner).
///
/// Line breaks are statement separators, except inside `( )` and `[ ]` (but a `{ }` block nested in them
/// separates statements again). Errors are collected in `diagnostics` and lexing continues.
public struct Lexer {
    private let characters: [Character]
    private let file: String
    private let firstLine: Int
    private var position = 0
    private var line: Int
    private var column = 1
    private var tokens: [Token] = []
    private var brackets: [Bracket] = []
    /// The lexical errors found so far (unterminated strings, bad escapes, stray characters…).
    public private(set) var diagnostics: [Diagnostic] = []
    private let sourceLines: [String]

    private enum Bracket { case paren, bracket, brace, interpolation }

    /// Prepares to scan `source`, whose first line is line `firstLine` of `file`.
    public init(source: String, file: String, firstLine: Int = 1) {
        self.characters = Array(source)
        self.file = file
        self.firstLine = firstLine
        self.line = firstLine
        self.sourceLines = SourceText.lines(of: source)
    }

    /// Scans the whole source; the last token is always `.eof`.
    public static func tokenize(source: String, file: String, firstLine: Int = 1) -> (
        tokens: [Token], diagnostics: [Diagnostic]
    ) {
        var lexer = Lexer(source: source, file: file, firstLine: firstLine)
        let tokens = lexer.tokenize()
        return (tokens, lexer.diagnostics)
    }

    /// Scans the whole source; the last token is always `.eof`.
    public mutating func tokenize() -> [Token] {
        tokens = []
        while let character = peek() {
            let start = here
            if character.isNewline {
                advance()
                newline(at: start, lexeme: "\n")
            } else if character == " " || character == "\t" {
                advance()
            } else if character == "#" {
                while let next = peek(), !next.isNewline { advance() }
            } else if character == "\\" && peek(1)?.isNewline == true {
                advance()
                advance()  // explicit line continuation
            } else if character.isNumber && character.isASCII {
                number(at: start)
            } else if character.isLetter || character == "_" {
                identifier(at: start)
            } else if character == "\"" {
                advance()
                string(at: start, lexemePrefix: "\"")
            } else {
                symbol(at: start)
            }
        }
        if brackets.contains(.interpolation) {
            report("unterminated string interpolation", at: here)
        }
        tokens.append(Token(kind: .eof, lexeme: "", location: here))
        return tokens
    }

    // MARK: - Scanning

    private var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private func peek(_ offset: Int = 0) -> Character? {
        let index = position + offset
        return index < characters.count ? characters[index] : nil
    }

    @discardableResult
    private mutating func advance() -> Character? {
        guard let character = peek() else { return nil }
        position += 1
        if character.isNewline {
            line += 1
            column = 1
        } else {
            column += 1
        }
        return character
    }

    private mutating func add(_ kind: Token.Kind, _ lexeme: String, at location: SourceLocation) {
        tokens.append(Token(kind: kind, lexeme: lexeme, location: location))
    }

    private mutating func newline(at location: SourceLocation, lexeme: String) {
        if lexeme != ";", brackets.last == .interpolation {
            if diagnostics.last?.location.line != location.line {
                report("unterminated string interpolation", at: location)
            }
            while let last = brackets.popLast(), last != .interpolation {}
        }
        if lexeme != ";", let last = brackets.last, last != .brace { return }
        if let previous = tokens.last, previous.kind == .newline { return }
        if tokens.isEmpty { return }
        add(.newline, lexeme, at: location)
    }

    private mutating func number(at start: SourceLocation) {
        var text = ""
        var isDouble = false
        func digits(_ lexer: inout Lexer) -> String {
            var run = ""
            while let c = lexer.peek(), (c.isASCII && c.isNumber) || c == "_" {
                lexer.advance()
                if c != "_" { run.append(c) }
            }
            return run
        }
        var lexeme = ""
        let startPosition = position
        text += digits(&self)
        if peek() == ".", let after = peek(1), after.isASCII && after.isNumber {
            advance()
            text += "." + digits(&self)
            isDouble = true
        } else if peek() == ".", !(peek(1).map { $0.isLetter || $0 == "_" || $0 == "." } ?? false) {
            advance()  // `3.` is the double 3.0
            text += ".0"
            isDouble = true
        }
        if let e = peek(), e == "e" || e == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if let digit = peek(signed ? 2 : 1), digit.isASCII && digit.isNumber {
                advance()
                text += "e"
                if signed, let sign = advance() { text.append(sign) }
                text += digits(&self)
                isDouble = true
            }
        }
        lexeme = String(characters[startPosition..<position])
        if isDouble {
            add(.double(Double(text) ?? .nan), lexeme, at: start)
        } else if let value = Int(text) {
            add(.int(value), lexeme, at: start)
        } else {
            report("integer literal '\(lexeme)' is too large", at: start, length: lexeme.count)
            add(.int(0), lexeme, at: start)
        }
    }

    private mutating func identifier(at start: SourceLocation) {
        var name = ""
        while let c = peek(), c.isLetter || c.isNumber || c == "_" {
            name.append(c)
            advance()
        }
        if let keyword = Token.Keyword(rawValue: name) {
            add(.keyword(keyword), name, at: start)
        } else {
            add(.identifier(name), name, at: start)
        }
    }

    /// Scans string content after an opening `"` (or after the `)` closing an interpolation).
    private mutating func string(at start: SourceLocation, lexemePrefix: String) {
        var value = ""
        var lexeme = lexemePrefix
        while true {
            guard let c = peek(), !c.isNewline else {
                report("unterminated string", at: start, length: lexeme.count)
                add(.string(value), lexeme, at: start)
                return
            }
            if c == "\"" {
                advance()
                lexeme.append(c)
                add(.string(value), lexeme, at: start)
                return
            }
            if c == "\\" {
                let escapeStart = here
                advance()
                lexeme.append(c)
                guard let e = peek(), !e.isNewline else { continue }
                advance()
                lexeme.append(e)
                switch e {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                case "0": value.append("\0")
                case "\"": value.append("\"")
                case "\\": value.append("\\")
                case "(":
                    add(.interpolation(value), lexeme, at: start)
                    brackets.append(.interpolation)
                    return
                case "u":
                    value += unicodeEscape(at: escapeStart, lexeme: &lexeme)
                default:
                    report("unknown escape sequence '\\\(e)' in string", at: escapeStart, length: 2)
                }
                continue
            }
            advance()
            lexeme.append(c)
            value.append(c)
        }
    }

    /// Scans `{XXXX}` after `\u`.
    private mutating func unicodeEscape(at start: SourceLocation, lexeme: inout String) -> String {
        guard peek() == "{" else {
            report("expected '{' after '\\u' in string", at: start, length: 2)
            return ""
        }
        advance()
        lexeme.append("{")
        var hex = ""
        while let c = peek(), c.isHexDigit {
            hex.append(c)
            advance()
        }
        lexeme += hex
        guard peek() == "}", let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
            report("invalid unicode escape '\\u{\(hex)' in string", at: start, length: hex.count + 3)
            return ""
        }
        advance()
        lexeme.append("}")
        return String(Character(scalar))
    }

    private mutating func symbol(at start: SourceLocation) {
        guard let c = advance() else { return }
        let next = peek()
        func two(_ second: Character, _ symbol: Token.Symbol, _ lexer: inout Lexer) -> Bool {
            guard next == second else { return false }
            lexer.advance()
            lexer.add(.symbol(symbol), symbol.rawValue, at: start)
            return true
        }
        switch c {
        case ";":
            newline(at: start, lexeme: ";")
            return
        case "*":
            if two("*", .power, &self) || two("=", .starEqual, &self) { return }
        case "=":
            if two("=", .equalEqual, &self) { return }
        case "!":
            if two("=", .notEqual, &self) { return }
            report("unexpected character '!'; use 'not' for negation", at: start)
            return
        case "<":
            if two("=", .lessEqual, &self) { return }
        case ">":
            if two("=", .greaterEqual, &self) { return }
        case "-":
            if two(">", .arrow, &self) || two("=", .minusEqual, &self) { return }
        case "+":
            if two("=", .plusEqual, &self) { return }
        case "/":
            if two("=", .slashEqual, &self) { return }
        case "&" where next == "&":
            advance()
            report("unexpected '&&'; use 'and'", at: start, length: 2)
            return
        case "|" where next == "|":
            advance()
            report("unexpected '||'; use 'or'", at: start, length: 2)
            return
        default:
            break
        }
        guard let symbol = Token.Symbol(rawValue: String(c)) else {
            report("unexpected character '\(c)'", at: start)
            return
        }
        switch symbol {
        case .leftParen: brackets.append(.paren)
        case .leftBracket: brackets.append(.bracket)
        case .leftBrace: brackets.append(.brace)
        case .rightParen:
            if brackets.last == .interpolation {
                brackets.removeLast()
                string(at: start, lexemePrefix: ")")
                return
            }
            close(.paren)
        case .rightBracket: close(.bracket)
        case .rightBrace: close(.brace)
        default: break
        }
        add(.symbol(symbol), symbol.rawValue, at: start)
    }

    /// Pops the matching opener (and anything unclosed above it); a stray closer leaves the stack alone.
    private mutating func close(_ bracket: Bracket) {
        guard let index = brackets.lastIndex(of: bracket) else { return }
        if brackets[index...].contains(.interpolation) { return }
        brackets.removeSubrange(index...)
    }

    private mutating func report(_ message: String, at location: SourceLocation, length: Int = 1) {
        // Past the parser's cap they would only be dropped (a line of a million stray characters).
        guard diagnostics.count <= Parser.maximumDiagnostics else { return }
        let index = location.line - firstLine
        let sourceLine = sourceLines.indices.contains(index) ? sourceLines[index] : nil
        diagnostics.append(Diagnostic(location: location, message: message, sourceLine: sourceLine, length: length))
    }
}
