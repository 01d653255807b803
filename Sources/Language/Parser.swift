/// Recursive-descent parser for the cell language. It reports every syntax error of its input: after an
/// error it skips to the end of the statement (the next line break or the `}` closing the block) and goes on.
///
/// Grammar (EBNF; `NL` is a line break or `;`, ignored inside `( )` and `[ ]`):
/// ```
/// program        = { NL } { statement ( NL { NL } | &"}" | &EOF ) } EOF
/// statement      = fnDecl | forStmt | whileStmt | ifStmt | returnStmt | "break" | "continue" | simpleStmt
/// fnDecl         = "fn" IDENT parameters [ "->" IDENT ] block
/// parameters     = "(" [ parameter { "," parameter } [ "," ] ] ")"
/// parameter      = IDENT [ ":" expression ]            (* with a default it is passed by label *)
/// forStmt        = "for" IDENT "in" expression block
/// whileStmt      = "while" expression block
/// ifStmt         = "if" expression block [ "else" ( ifStmt | block ) ]
/// returnStmt     = "return" [ expression ]
/// simpleStmt     = expression [ ( "=" | "+=" | "-=" | "*=" | "/=" ) expression ]
/// block          = "{" { NL } { statement ( NL { NL } | &"}" ) } "}"
/// expression     = or
/// or             = and { "or" and }
/// and            = not { "and" not }
/// not            = "not" not | comparison
/// comparison     = additive { ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) additive }   (* chains: a < b < c *)
/// additive       = multiplicative { ( "+" | "-" ) multiplicative }
/// multiplicative = unary { ( "*" | "/" | "%" ) unary }
/// unary          = "-" unary | power
/// power          = postfix [ "**" unary ]                                            (* right-associative *)
/// postfix        = primary { "(" [ argument { "," argument } [ "," ] ] ")" | "." IDENT
///                          | "[" ( expression | [ expression ] ":" [ expression ] ) "]" | "@" [ "-" ] INT }
/// argument       = [ IDENT ":" ] expression
/// primary        = INT | DOUBLE | STRING | interpolated | "true" | "false" | "nil" | IDENT
///                | "(" expression ")" | "[" [ expression { "," expression } [ "," ] ] "]"
///                | "{" [ field { "," field } [ "," ] ] "}" | "fn" parameters block
/// field          = ( IDENT | STRING ) ":" expression
/// interpolated   = INTERPOLATION expression { INTERPOLATION expression } STRING
/// ```
public struct Parser {
    private var tokens: [Token]
    private var current = 0
    private let sourceLines: [String]
    private let firstLine: Int
    private var depth = 0
    private var loopDepth = 0
    private var functionDepth = 0
    /// Deepest nesting of operators, brackets and blocks a program may have: no syntax tree taller than this is ever
    /// built, so evaluating, comparing and freeing one stays far from the end of the stack (see `StackGuard`).
    /// Left-nested chains (`1 + 1 + …`, `a.b.c…`, `f()()…`) count one level per operator, like brackets.
    /// Measured on the 8 MB main thread: an unoptimised (debug) build parses one level of brackets in about 14 KB of
    /// stack and runs out near 540 levels; 256 keeps both builds under half the stack.
    public static let maximumNesting = 256
    /// Lexical and syntax errors found, in source order.
    public private(set) var diagnostics: [Diagnostic]

    /// Largest cell (or shell input) parsed, in bytes of UTF-8. Lexing and parsing take up to about 125 bytes of memory
    /// per source byte (measured: a 2 MB list literal of `1,` peaks at 270 MB), so a 4 MB cell may need 500 MB.
    public static let maximumCellBytes = 4 * 1024 * 1024
    /// Most errors reported for one cell; a file of stray characters would otherwise print one error per byte.
    public static let maximumDiagnostics = 100

    /// Prepares to parse `source`, whose first line is line `firstLine` of `file`.
    public init(source: String, file: String, firstLine: Int = 1) {
        let bytes = source.utf8.count
        guard bytes <= Parser.maximumCellBytes else {
            self.tokens = [
                Token(kind: .eof, lexeme: "", location: SourceLocation(file: file, line: firstLine, column: 1))
            ]
            self.diagnostics = [
                Diagnostic(
                    location: SourceLocation(file: file, line: firstLine, column: 1),
                    message:
                        "cell is \(bytes) bytes; the limit is \(Parser.maximumCellBytes) (4 MB): split it into smaller cells"
                )
            ]
            self.sourceLines = []
            self.firstLine = firstLine
            return
        }
        let (tokens, lexical) = Lexer.tokenize(source: source, file: file, firstLine: firstLine)
        self.tokens = tokens
        self.diagnostics = lexical
        self.sourceLines = SourceText.lines(of: source)
        self.firstLine = firstLine
    }

    /// Parses `source`; throws all its syntax errors at once.
    ///
    /// ```swift
    /// let program = try Parser.parse(source: "x = 1 + 2", file: "<repl>")
    /// ```
    /// - Throws: `DiagnosticList` when there is at least one error.
    public static func parse(source: String, file: String, firstLine: Int = 1) throws -> [Stmt] {
        var parser = Parser(source: source, file: file, firstLine: firstLine)
        let program = parser.parse()
        if !parser.diagnostics.isEmpty { throw DiagnosticList(parser.diagnostics) }
        return program
    }

    /// Parses `source` as exactly one expression (e.g. the value of `--param lr=3e-4`).
    ///
    /// - Throws: `DiagnosticList` if it is not a single well-formed expression.
    public static func parseExpression(source: String, file: String) throws -> Expr {
        var parser = Parser(source: source, file: file)
        var expr: Expr?
        do throws {
            expr = try parser.expression()
            parser.skipNewlines()
            if !parser.isAtEnd { throw parser.error("unexpected \(parser.peek) after expression", at: parser.peek) }
        } catch {
            parser.record(Parser.diagnostic(from: error, at: parser.peek))
        }
        guard let expr, parser.diagnostics.isEmpty else { throw DiagnosticList(parser.diagnostics) }
        return expr
    }

    /// Parses the whole input. Statements with errors are left out; the errors are in `diagnostics`.
    public mutating func parse() -> [Stmt] {
        var statements: [Stmt] = []
        skipNewlines()
        while !isAtEnd && diagnostics.count <= Parser.maximumDiagnostics {
            if check(.rightBrace) {
                record(error("unexpected '}'", at: peek))
                advance()
                skipNewlines()
                continue
            }
            if let statement = statementWithRecovery() { statements.append(statement) }
            skipNewlines()
        }
        diagnostics.sort { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
        if diagnostics.count > Parser.maximumDiagnostics {
            let first = diagnostics[Parser.maximumDiagnostics]
            diagnostics.removeSubrange(Parser.maximumDiagnostics...)
            diagnostics.append(
                Diagnostic(
                    location: first.location,
                    message: "too many errors; stopped after the first \(Parser.maximumDiagnostics) in this cell"))
        }
        return statements
    }

    // MARK: - Statements

    /// One statement plus its separator; on error, records it and skips to the statement's end.
    private mutating func statementWithRecovery() -> Stmt? {
        let start = current
        do throws {
            let statement = try statement()
            if !check(.rightBrace) && !isAtEnd {
                guard match(.newline) else {
                    throw error("expected newline or ';' after statement, got \(peek)", at: peek)
                }
            }
            return statement
        } catch {
            record(Parser.diagnostic(from: error, at: peek))
            // Braces the failed statement opened (a record, a lambda) must be skipped, not taken as the block's end.
            let opened = tokens[start..<current].reduce(0) { count, token in
                token.kind == .symbol(.leftBrace) ? count + 1 : token.kind == .symbol(.rightBrace) ? count - 1 : count
            }
            synchronize(openBraces: max(0, opened))
            return nil
        }
    }

    private mutating func statement() throws -> Stmt {
        let start = peek
        switch start.kind {
        case .keyword(.fn) where peekNext.kind.isIdentifier:
            advance()
            let nameToken = advance()
            let declaration = try functionRest(name: nameToken.lexeme, at: start.location)
            return try bounded(
                Stmt(.function(declaration), at: nameToken.location, length: nameToken.length), at: start)
        case .keyword(.for):
            advance()
            let variable = try consumeIdentifier("expected a loop variable name after 'for'")
            try consume(.keyword(.in), "expected 'in' after the loop variable")
            let sequence = try expression()
            loopDepth += 1
            defer { loopDepth -= 1 }
            let body = try block("for loop")
            return try bounded(
                Stmt(
                    .forIn(variable: variable.lexeme, sequence: sequence, body: body), at: start.location,
                    length: start.length), at: start)
        case .keyword(.while):
            advance()
            let condition = try expression()
            loopDepth += 1
            defer { loopDepth -= 1 }
            let body = try block("while loop")
            return try bounded(
                Stmt(.while(condition: condition, body: body), at: start.location, length: start.length), at: start)
        case .keyword(.if):
            return try ifStatement()
        case .keyword(.return):
            advance()
            if functionDepth == 0 { throw error("'return' outside of a function", at: start) }
            if check(.newline) || check(.rightBrace) || isAtEnd {
                return Stmt(.return(nil), at: start.location, length: start.length)
            }
            return Stmt(.return(try expression()), at: start.location, length: start.length)
        case .keyword(.break):
            advance()
            if loopDepth == 0 { throw error("'break' outside of a loop", at: start) }
            return Stmt(.break, at: start.location, length: start.length)
        case .keyword(.continue):
            advance()
            if loopDepth == 0 { throw error("'continue' outside of a loop", at: start) }
            return Stmt(.continue, at: start.location, length: start.length)
        default:
            return try simpleStatement()
        }
    }

    private mutating func ifStatement() throws -> Stmt {
        let start = advance()
        let condition = try expression()
        let then = try block("if")
        var otherwise: [Stmt]?
        // Allow `}` NL `else` as well as `} else`.
        if check(.newline), case .keyword(.else) = peekNext.kind { advance() }
        if match(.keyword(.else)) {
            if check(.keyword(.if)) {
                try enter()
                defer { depth -= 1 }
                otherwise = [try ifStatement()]
            } else {
                otherwise = try block("else")
            }
        }
        return try bounded(
            Stmt(.if(condition: condition, then: then, otherwise: otherwise), at: start.location, length: start.length),
            at: start)
    }

    private mutating func simpleStatement() throws -> Stmt {
        let expr = try expression()
        let operators: [(Token.Symbol, BinaryOperator?)] = [
            (.equal, nil), (.plusEqual, .add), (.minusEqual, .subtract), (.starEqual, .multiply),
            (.slashEqual, .divide),
        ]
        for (symbol, op) in operators where check(symbol) {
            let equals = advance()
            switch expr.kind {
            case .variable, .member, .index: break
            default:
                throw error(
                    "cannot assign to this expression; the left side of '\(equals.lexeme)' must be a variable, member or index",
                    at: equals)
            }
            let value = try expression()
            return try bounded(
                Stmt(.assign(target: expr, op: op, value: value), at: equals.location, length: equals.length),
                at: equals)
        }
        return Stmt(.expression(expr), at: expr.location, length: expr.length)
    }

    private mutating func block(_ context: String) throws -> [Stmt] {
        try consume(.leftBrace, "expected '{' to begin the \(context) body")
        try enter()
        defer { depth -= 1 }
        var statements: [Stmt] = []
        skipNewlines()
        while !check(.rightBrace) && !isAtEnd {
            if let statement = statementWithRecovery() { statements.append(statement) }
            skipNewlines()
        }
        try consume(.rightBrace, "expected '}' to close the \(context) body")
        return statements
    }

    /// Parameters and body of a function, after `fn` and its name.
    private mutating func functionRest(name: String?, at location: SourceLocation) throws -> FunctionDecl {
        try consume(.leftParen, name.map { "expected '(' after function name '\($0)'" } ?? "expected '(' after 'fn'")
        var parameters: [ParameterDecl] = []
        var seen: Set<String> = []
        while !check(.rightParen) && !isAtEnd {
            let nameToken = try consumeIdentifier("expected a parameter name")
            if !seen.insert(nameToken.lexeme).inserted {
                throw error("duplicate parameter '\(nameToken.lexeme)'", at: nameToken)
            }
            var defaultValue: Expr?
            if match(.colon) {
                defaultValue = try expression()
            } else if parameters.contains(where: { $0.defaultValue != nil }) {
                throw error(
                    "parameter '\(nameToken.lexeme)' without a default must come before those with one", at: nameToken)
            }
            parameters.append(
                ParameterDecl(name: nameToken.lexeme, defaultValue: defaultValue, location: nameToken.location))
            if !match(.comma) { break }
        }
        try consume(.rightParen, "expected ')' after parameters")
        if match(.arrow) { _ = try consumeIdentifier("expected a type name after '->'") }
        let outerLoopDepth = loopDepth
        loopDepth = 0
        functionDepth += 1
        defer {
            loopDepth = outerLoopDepth
            functionDepth -= 1
        }
        let body = try block(name.map { "function '\($0)'" } ?? "function")
        return FunctionDecl(name: name, parameters: parameters, body: body, location: location)
    }

    // MARK: - Expressions

    /// Parses one expression (public for hosts that evaluate expressions on their own, e.g. `--param lr=3e-4`).
    public mutating func expression() throws -> Expr {
        try enter()
        defer { depth -= 1 }
        return try or()
    }

    private mutating func or() throws -> Expr {
        var expr = try and()
        while check(.keyword(.or)) {
            let op = advance()
            let right = try and()
            expr = try bounded(Expr(.or(expr, right), at: op.location, length: op.length), at: op)
        }
        return expr
    }

    private mutating func and() throws -> Expr {
        var expr = try not()
        while check(.keyword(.and)) {
            let op = advance()
            let right = try not()
            expr = try bounded(Expr(.and(expr, right), at: op.location, length: op.length), at: op)
        }
        return expr
    }

    private mutating func not() throws -> Expr {
        if check(.keyword(.not)) {
            let op = advance()
            try enter()
            defer { depth -= 1 }
            let operand = try not()
            return try bounded(Expr(.not(operand), at: op.location, length: op.length), at: op)
        }
        return try comparison()
    }

    private mutating func comparison() throws -> Expr {
        let first = try additive()
        var terms: [ComparisonTerm] = []
        while case .symbol(let symbol) = peek.kind, let op = ComparisonOperator(rawValue: symbol.rawValue) {
            let token = advance()
            terms.append(ComparisonTerm(op: op, operand: try additive(), location: token.location))
        }
        guard let firstTerm = terms.first else { return first }
        let comparison = Expr(.comparison(first, terms), at: firstTerm.location, length: firstTerm.op.rawValue.count)
        guard comparison.height <= Parser.maximumNesting else {
            throw tooDeep(at: Token(kind: .symbol(.less), lexeme: firstTerm.op.rawValue, location: firstTerm.location))
        }
        return comparison
    }

    private mutating func additive() throws -> Expr {
        var expr = try multiplicative()
        while check(.plus) || check(.minus) {
            let op = advance()
            let right = try multiplicative()
            expr = try bounded(
                Expr(.binary(op.lexeme == "+" ? .add : .subtract, expr, right), at: op.location, length: op.length),
                at: op)
        }
        return expr
    }

    private mutating func multiplicative() throws -> Expr {
        var expr = try unary()
        while check(.star) || check(.slash) || check(.percent) {
            let op = advance()
            let right = try unary()
            let kind: BinaryOperator = op.lexeme == "*" ? .multiply : op.lexeme == "/" ? .divide : .remainder
            expr = try bounded(Expr(.binary(kind, expr, right), at: op.location, length: op.length), at: op)
        }
        return expr
    }

    private mutating func unary() throws -> Expr {
        if check(.minus) {
            let op = advance()
            try enter()
            defer { depth -= 1 }
            let operand = try unary()
            return try bounded(Expr(.negate(operand), at: op.location, length: op.length), at: op)
        }
        return try power()
    }

    private mutating func power() throws -> Expr {
        let base = try postfix()
        guard check(.power) else { return base }
        let op = advance()
        try enter()
        defer { depth -= 1 }
        let exponent = try unary()
        return try bounded(Expr(.binary(.power, base, exponent), at: op.location, length: op.length), at: op)
    }

    private mutating func postfix() throws -> Expr {
        var expr = try primary()
        while true {
            if check(.leftParen) {
                let paren = advance()
                let arguments = try callArguments()
                expr = try bounded(Expr(.call(expr, arguments), at: paren.location, length: 1), at: paren)
            } else if match(.dot) {
                let name = try consumeIdentifier("expected a member name after '.'")
                expr = try bounded(Expr(.member(expr, name.lexeme), at: name.location, length: name.length), at: name)
            } else if check(.leftBracket) {
                let bracket = peek
                expr = try bounded(try subscriptSuffix(expr), at: bracket)
            } else if check(.at) {
                expr = try versionReference(expr)
            } else {
                return expr
            }
        }
    }

    /// `name@3`, `name@-1`, after `name`.
    private mutating func versionReference(_ expr: Expr) throws -> Expr {
        let at = advance()
        guard case .variable(let name) = expr.kind else {
            throw error("a version reference needs a variable name before '@'", at: at)
        }
        let negative = match(.minus)
        guard case .int(let number) = peek.kind else {
            throw error("expected a version number after '@', got \(peek)", at: peek)
        }
        let numberToken = advance()
        let end = numberToken.location.column + numberToken.length
        return Expr(
            .version(name: name, version: negative ? -number : number), at: expr.location,
            length: max(1, end - expr.location.column))
    }

    private mutating func callArguments() throws -> [Argument] {
        var arguments: [Argument] = []
        var seenLabels: Set<String> = []
        while !check(.rightParen) && !isAtEnd {
            if case .identifier(let label) = peek.kind, case .symbol(.colon) = peekNext.kind {
                let labelToken = advance()
                advance()
                if !seenLabels.insert(label).inserted {
                    throw error("argument '\(label)' given twice", at: labelToken)
                }
                let value = try expression()
                arguments.append(
                    Argument(label: label, value: value, location: labelToken.location, length: labelToken.length))
            } else {
                let value = try expression()
                arguments.append(Argument(label: nil, value: value, location: value.location, length: value.length))
            }
            if !match(.comma) { break }
        }
        try consume(.rightParen, "expected ')' after arguments")
        return arguments
    }

    private mutating func subscriptSuffix(_ base: Expr) throws -> Expr {
        let bracket = advance()
        var lower: Expr?
        if !check(.colon) { lower = try expression() }
        if match(.colon) {
            var upper: Expr?
            if !check(.rightBracket) { upper = try expression() }
            try consume(.rightBracket, "expected ']' after slice")
            return Expr(.slice(base, lower: lower, upper: upper), at: bracket.location)
        }
        try consume(.rightBracket, "expected ']' after index")
        guard let index = lower else { throw error("expected an index", at: peek) }
        return Expr(.index(base, index), at: bracket.location)
    }

    /// One primary expression. Each case is its own function, so that the frame repeated at every level of brackets
    /// stays small in unoptimised builds too.
    private mutating func primary() throws -> Expr {
        switch peek.kind {
        case .int, .double, .string, .keyword(.true), .keyword(.false), .keyword(.nil), .identifier:
            return try literal()
        case .interpolation: return try interpolated()
        case .keyword(.fn): return try lambda()
        case .symbol(.leftParen): return try parenthesized()
        case .symbol(.leftBracket): return try listLiteral()
        case .symbol(.leftBrace): return try recordLiteral()
        default: throw unexpected(peek)
        }
    }

    /// A literal or a variable.
    private mutating func literal() throws -> Expr {
        let token = peek
        let kind: Expr.Kind
        switch token.kind {
        case .int(let value): kind = .int(value)
        case .double(let value): kind = .double(value)
        case .string(let value):
            // The rest of an interpolated string starts at the `)` closing `\(…)`: an expression is missing there.
            if token.lexeme.hasPrefix(")") {
                throw error("expected an expression before ')' in the string interpolation", at: token)
            }
            kind = .string(value)
        case .keyword(.true): kind = .bool(true)
        case .keyword(.false): kind = .bool(false)
        case .identifier(let name): kind = .variable(name)
        default: kind = .nil
        }
        advance()
        return Expr(kind, at: token.location, length: token.length)
    }

    private mutating func lambda() throws -> Expr {
        let token = advance()
        let declaration = try functionRest(name: nil, at: token.location)
        return try bounded(Expr(.lambda(declaration), at: token.location, length: token.length), at: token)
    }

    private mutating func parenthesized() throws -> Expr {
        advance()
        let inner = try expression()
        try consume(.rightParen, "expected ')' after expression")
        return inner
    }

    private mutating func listLiteral() throws -> Expr {
        let token = advance()
        var elements: [Expr] = []
        while !check(.rightBracket) && !isAtEnd {
            elements.append(try expression())
            if !match(.comma) { break }
        }
        try consume(.rightBracket, "expected ']' after list elements")
        return try bounded(Expr(.list(elements), at: token.location), at: token)
    }

    private func unexpected(_ token: Token) -> Diagnostic {
        switch token.kind {
        case .eof: return error("expected an expression, got end of input", at: token)
        case .newline: return error("expected an expression before end of line", at: token)
        default: return error("unexpected \(token)", at: token)
        }
    }

    private mutating func recordLiteral() throws -> Expr {
        let brace = advance()
        var fields: [RecordField] = []
        var seen: Set<String> = []
        skipNewlines()
        while !check(.rightBrace) && !isAtEnd {
            let keyToken = peek
            let key: String
            switch keyToken.kind {
            case .identifier(let name): key = name
            case .string(let text): key = text
            case .keyword(let keyword): key = keyword.rawValue
            default: throw error("expected a field name in record, got \(keyToken)", at: keyToken)
            }
            advance()
            if !seen.insert(key).inserted { throw error("duplicate field '\(key)' in record", at: keyToken) }
            try consume(.colon, "expected ':' after field name '\(key)'")
            skipNewlines()
            fields.append(RecordField(key: key, value: try expression(), location: keyToken.location))
            skipNewlines()
            if !match(.comma) { break }
            skipNewlines()
        }
        try consume(.rightBrace, "expected '}' after record fields")
        return try bounded(Expr(.record(fields), at: brace.location), at: brace)
    }

    private mutating func interpolated() throws -> Expr {
        let start = peek
        var parts: [StringPart] = []
        while case .interpolation(let text) = peek.kind {
            advance()
            if !text.isEmpty { parts.append(.text(text)) }
            parts.append(.expression(try expression()))
        }
        guard case .string(let tail) = peek.kind else {
            throw error("expected ')' to end the string interpolation, got \(peek)", at: peek)
        }
        let end = advance()
        if !tail.isEmpty { parts.append(.text(tail)) }
        let length =
            start.location.line == end.location.line
            ? end.location.column + end.length - start.location.column : start.length
        return try bounded(Expr(.interpolated(parts), at: start.location, length: length), at: start)
    }

    // MARK: - Token helpers

    private var peek: Token { tokens[min(current, tokens.count - 1)] }
    private var peekNext: Token { tokens[min(current + 1, tokens.count - 1)] }
    private var isAtEnd: Bool { peek.kind == .eof }

    @discardableResult
    private mutating func advance() -> Token {
        let token = peek
        if current < tokens.count - 1 { current += 1 }
        return token
    }

    private func check(_ symbol: Token.Symbol) -> Bool { peek.kind == .symbol(symbol) }
    private func check(_ kind: Token.Kind) -> Bool { peek.kind == kind }

    private mutating func match(_ symbol: Token.Symbol) -> Bool { match(.symbol(symbol)) }
    private mutating func match(_ kind: Token.Kind) -> Bool {
        guard peek.kind == kind else { return false }
        advance()
        return true
    }

    private mutating func consume(_ symbol: Token.Symbol, _ message: String) throws {
        try consume(.symbol(symbol), message)
    }

    private mutating func consume(_ kind: Token.Kind, _ message: String) throws {
        guard match(kind) else { throw error("\(message), got \(peek)", at: peek) }
    }

    private mutating func consumeIdentifier(_ message: String) throws -> Token {
        guard peek.kind.isIdentifier else {
            if case .keyword(let keyword) = peek.kind {
                throw error("\(message); '\(keyword.rawValue)' is a reserved word", at: peek)
            }
            throw error("\(message), got \(peek)", at: peek)
        }
        return advance()
    }

    private mutating func skipNewlines() {
        while check(.newline) { advance() }
    }

    /// Counts one more level of recursion, refusing to go deeper than `maximumNesting` or near the end of the stack.
    private mutating func enter() throws {
        guard depth < Parser.maximumNesting, !StackGuard.isExhausted else { throw tooDeep(at: peek) }
        depth += 1
    }

    /// `node`, unless it is taller than `maximumNesting` (then an error located at `token`, its operator or bracket).
    private func bounded(_ node: Expr, at token: Token) throws -> Expr {
        guard node.height <= Parser.maximumNesting else { throw tooDeep(at: token) }
        return node
    }

    private func bounded(_ node: Stmt, at token: Token) throws -> Stmt {
        guard node.height <= Parser.maximumNesting else { throw tooDeep(at: token) }
        return node
    }

    private func tooDeep(at token: Token) -> Diagnostic {
        error(
            "expression nested too deeply: more than \(Parser.maximumNesting) levels of operators, brackets or blocks; "
                + "split it into smaller expressions", at: token)
    }

    /// Skips to the end of the failed statement: past the next line break at this nesting level, or up to the
    /// `}` that closes the enclosing block.
    private mutating func synchronize(openBraces: Int) {
        var braces = openBraces
        while !isAtEnd {
            switch peek.kind {
            case .newline where braces == 0:
                advance()
                return
            case .symbol(.leftBrace):
                braces += 1
            case .symbol(.rightBrace):
                if braces == 0 { return }
                braces -= 1
            default:
                break
            }
            advance()
        }
    }

    // MARK: - Errors

    private func error(_ message: String, at token: Token) -> Diagnostic {
        let index = token.location.line - firstLine
        let sourceLine = sourceLines.indices.contains(index) ? sourceLines[index] : nil
        return Diagnostic(location: token.location, message: message, sourceLine: sourceLine, length: token.length)
    }

    /// The parser throws only diagnostics, untyped: a typed throw of a struct this large would reserve room for it at
    /// every call site and make each level of recursion several times deeper.
    private static func diagnostic(from error: any Error, at token: Token) -> Diagnostic {
        error as? Diagnostic ?? Diagnostic(location: token.location, message: "\(error)")
    }

    private mutating func record(_ diagnostic: Diagnostic) {
        // One error per location: a failure deep in an expression must not be reported again by its statement.
        if diagnostics.count > Parser.maximumDiagnostics
            || diagnostics.contains(where: { $0.location == diagnostic.location })
        {
            return
        }
        diagnostics.append(diagnostic)
    }
}

extension Token.Kind {
    var isIdentifier: Bool {
        if case .identifier = self { return true }
        return false
    }
}
