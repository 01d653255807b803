import Testing

@testable import Language
@testable import Notebook

// MARK: - Helpers

/// Token kinds in a compact form: `int(1) + ident(x) NL EOF`.
func render(_ token: Token) -> String {
    switch token.kind {
    case .int(let value): return "int(\(value))"
    case .double(let value): return "double(\(value))"
    case .string(let text): return "str(\(text))"
    case .interpolation(let text): return "interp(\(text))"
    case .identifier(let name): return "ident(\(name))"
    case .keyword(let keyword): return keyword.rawValue
    case .symbol(let symbol): return symbol.rawValue
    case .newline: return "NL"
    case .eof: return "EOF"
    }
}

/// An expression as a fully parenthesised S-expression, to check precedence.
func sexpr(_ expr: Expr) -> String {
    switch expr.kind {
    case .int(let value): return String(value)
    case .double(let value): return String(value)
    case .string(let text): return "\"\(text)\""
    case .interpolated(let parts):
        return "(str "
            + parts.map { part in
                switch part {
                case .text(let text): return "\"\(text)\""
                case .expression(let inner): return sexpr(inner)
                }
            }.joined(separator: " ") + ")"
    case .bool(let flag): return String(flag)
    case .nil: return "nil"
    case .variable(let name): return name
    case .version(let name, let version): return "\(name)@\(version)"
    case .list(let elements): return "[" + elements.map(sexpr).joined(separator: " ") + "]"
    case .record(let fields): return "{" + fields.map { "\($0.key):\(sexpr($0.value))" }.joined(separator: " ") + "}"
    case .negate(let operand): return "(neg \(sexpr(operand)))"
    case .not(let operand): return "(not \(sexpr(operand)))"
    case .binary(let op, let left, let right): return "(\(op.rawValue) \(sexpr(left)) \(sexpr(right)))"
    case .and(let left, let right): return "(and \(sexpr(left)) \(sexpr(right)))"
    case .or(let left, let right): return "(or \(sexpr(left)) \(sexpr(right)))"
    case .comparison(let first, let terms):
        return "(cmp \(sexpr(first))" + terms.map { " \($0.op.rawValue) \(sexpr($0.operand))" }.joined() + ")"
    case .call(let callee, let arguments):
        return "(call \(sexpr(callee))"
            + arguments.map { " " + ($0.label.map { "\($0):" } ?? "") + sexpr($0.value) }.joined() + ")"
    case .member(let base, let name): return "(. \(sexpr(base)) \(name))"
    case .index(let base, let index): return "(index \(sexpr(base)) \(sexpr(index)))"
    case .slice(let base, let lower, let upper):
        return "(slice \(sexpr(base)) \(lower.map(sexpr) ?? "_") \(upper.map(sexpr) ?? "_"))"
    case .lambda(let declaration): return "(fn \(declaration.parameters.map(\.name).joined(separator: " ")))"
    }
}

/// Runs `source` and returns its printed lines, or the diagnostics' descriptions.
func runProgram(_ source: String, interpreter: Interpreter? = nil) -> (output: [String], errors: [String]) {
    var output: [String] = []
    let interpreter = interpreter ?? Interpreter()
    interpreter.output = { output.append($0) }
    do {
        try interpreter.run(source: source, file: "test.rlhf")
        return (output, [])
    } catch let list as DiagnosticList {
        return (output, list.diagnostics.map(\.message))
    } catch {
        return (output, ["\(error)"])
    }
}

// MARK: - Lexer

struct LexerTests {
    @Test(
        "tokens",
        arguments: [
            ("x = 1 + 2.5", "ident(x) = int(1) + double(2.5) EOF"),
            ("1e-3 3. 0.5 1_000", "double(0.001) double(3.0) double(0.5) int(1000) EOF"),
            ("a ** b != c <= d >= e == f", "ident(a) ** ident(b) != ident(c) <= ident(d) >= ident(e) == ident(f) EOF"),
            ("p@-1 -> x += 1", "ident(p) @ - int(1) -> ident(x) += int(1) EOF"),
            (
                "if else while for in fn return true false nil and or not break continue",
                "if else while for in fn return true false nil and or not break continue EOF"
            ),
            ("a # comment\nb", "ident(a) NL ident(b) EOF"),
            ("a\n\n\nb; c", "ident(a) NL ident(b) NL ident(c) EOF"),
            ("f(a,\n b)\n[1,\n2]", "ident(f) ( ident(a) , ident(b) ) NL [ int(1) , int(2) ] EOF"),
            ("f(fn(x) {\n x\n})", "ident(f) ( fn ( ident(x) ) { NL ident(x) NL } ) EOF"),
            ("\"a\\n\\\"b\\\"\"", "str(a\n\"b\") EOF"),
            ("\"loss \\(x) at \\(f(y))!\"", "interp(loss ) ident(x) interp( at ) ident(f) ( ident(y) ) str(!) EOF"),
            ("{a: 1}", "{ ident(a) : int(1) } EOF"),
            ("xs[1:3]", "ident(xs) [ int(1) : int(3) ] EOF"),
            ("3.foo", "int(3) . ident(foo) EOF"),
        ])
    func tokens(source: String, expected: String) {
        let (tokens, diagnostics) = Lexer.tokenize(source: source, file: "t")
        #expect(tokens.map(render).joined(separator: " ") == expected)
        #expect(diagnostics.isEmpty)
    }

    @Test(
        "stringLiteral quotes any text so the lexer reads it back unchanged, never as an interpolation",
        arguments: [
            "plain", "", "a \"quoted\" word", "C:\\models\\gpt", "tab\tline\nreturn\r", "nul\0end",
            "\\(not an interpolation)", "ümlaut — and emoji 🎭",
        ])
    func stringLiteralRoundTrips(text: String) {
        let (tokens, diagnostics) = Lexer.tokenize(source: Lexer.stringLiteral(text), file: "t")
        #expect(diagnostics.isEmpty)
        #expect(tokens.map(\.kind) == [.string(text), .eof])
    }

    @Test("token locations are 1-based and offset by the cell's first line")
    func locations() {
        let (tokens, _) = Lexer.tokenize(source: "x = 1\n  foo(2)", file: "nb.rlhf", firstLine: 10)
        let foo = tokens.first { $0.kind == .identifier("foo") }
        #expect(tokens[0].location == SourceLocation(file: "nb.rlhf", line: 10, column: 1))
        #expect(foo?.location == SourceLocation(file: "nb.rlhf", line: 11, column: 3))
    }

    @Test(
        "lexical errors",
        arguments: [
            ("\"abc", "unterminated string"),
            ("a ! b", "unexpected character '!'; use 'not' for negation"),
            ("a && b", "unexpected '&&'; use 'and'"),
            ("\"\\q\"", "unknown escape sequence '\\q' in string"),
            ("99999999999999999999", "integer literal '99999999999999999999' is too large"),
            ("x = $", "unexpected character '$'"),
        ])
    func lexicalErrors(source: String, message: String) {
        let (_, diagnostics) = Lexer.tokenize(source: source, file: "t")
        #expect(diagnostics.map(\.message).contains(message), "\(diagnostics)")
    }
}

// MARK: - Parser

struct ParserTests {
    @Test(
        "precedence and associativity",
        arguments: [
            ("1 + 2 * 3", "(+ 1 (* 2 3))"),
            ("1 - 2 - 3", "(- (- 1 2) 3)"),
            ("2 ** 3 ** 2", "(** 2 (** 3 2))"),
            ("-2 ** 2", "(neg (** 2 2))"),
            ("2 ** -1", "(** 2 (neg 1))"),
            ("-a * b", "(* (neg a) b)"),
            ("a % b / c", "(/ (% a b) c)"),
            ("a < b < c", "(cmp a < b < c)"),
            ("a + 1 == b * 2", "(cmp (+ a 1) == (* b 2))"),
            ("not a == b", "(not (cmp a == b))"),
            ("a or b and c", "(or a (and b c))"),
            ("not a and b", "(and (not a) b)"),
            ("a.b.c(1)[2]", "(index (call (. (. a b) c) 1) 2)"),
            ("f(a, steps: 10)", "(call f a steps:10)"),
            ("xs[1:3]", "(slice xs 1 3)"),
            ("xs[:-1]", "(slice xs _ (neg 1))"),
            ("xs[2:]", "(slice xs 2 _)"),
            ("policy@3", "policy@3"),
            ("policy@-1", "policy@-1"),
            ("policy@2.train(x)", "(call (. policy@2 train) x)"),
            ("{lr: 1e-3, \"two words\": 2}", "{lr:0.001 two words:2}"),
            ("{}", "{}"),
            ("[1, [2, 3],]", "[1 [2 3]]"),
            ("fn(r) { r.x > 1 }", "(fn r)"),
            ("\"a \\(b + 1) c\"", "(str \"a \" (+ b 1) \" c\")"),
            ("(1 + 2) * 3", "(* (+ 1 2) 3)"),
        ])
    func precedence(source: String, expected: String) throws {
        let program = try Parser.parse(source: source, file: "t")
        guard program.count == 1, case .expression(let expr) = program[0].kind else {
            Issue.record("expected one expression statement, got \(program)")
            return
        }
        #expect(sexpr(expr) == expected)
    }

    @Test("statements")
    func statements() throws {
        let program = try Parser.parse(
            source: """
                fn f(a, b: 1) { return a + b }
                for x in xs { if x { break } else if y { continue } else { } }
                while true { x += 1 }
                cfg.lr = 3; xs[0] = 1
                """, file: "t")
        #expect(program.count == 5)
        guard case .function(let declaration) = program[0].kind else { return }
        #expect(declaration.name == "f")
        #expect(declaration.parameters.map(\.name) == ["a", "b"])
        #expect(declaration.parameters[1].defaultValue?.kind == .int(1))
        if case .assign(let target, nil, let value) = program[3].kind, case .member(_, let name) = target.kind {
            #expect(name == "lr")
            #expect(value.kind == .int(3))
        } else {
            Issue.record("expected a member assignment, got \(program[3].kind)")
        }
        if case .assign(_, let op, _) = program[2].kind { #expect(op == nil) }
        if case .while(_, let body) = program[2].kind, case .assign(_, let op, _) = body[0].kind { #expect(op == .add) }
    }

    @Test(
        "every syntax error is reported, with the offending token",
        arguments: [
            ("print(1, 2", ["expected ')' after arguments, got end of input"]),
            ("x = 1\n}", ["unexpected '}'"]),
            (
                "a = 1 +\nb = 2 3\nc = (",
                [
                    "expected an expression before end of line",
                    "expected newline or ';' after statement, got '3'",
                    "expected an expression, got end of input",
                ]
            ),
            ("return 1", ["'return' outside of a function"]),
            ("continue", ["'continue' outside of a loop"]),
            ("fn f(a: 1, b) { }", ["parameter 'b' without a default must come before those with one"]),
            ("f(a: 1, a: 2)", ["argument 'a' given twice"]),
            ("{a: 1, a: 2}", ["duplicate field 'a' in record"]),
            ("for 1 in xs { }", ["expected a loop variable name after 'for', got '1'"]),
            ("for in in xs { }", ["expected a loop variable name after 'for'; 'in' is a reserved word"]),
            ("if x print(1)", ["expected '{' to begin the if body, got 'print'"]),
            ("(1 + 2)@3", ["a version reference needs a variable name before '@'"]),
            ("x +", ["expected an expression, got end of input"]),
            (
                "f(x) = 1",
                ["cannot assign to this expression; the left side of '=' must be a variable, member or index"]
            ),
        ])
    func syntaxErrors(source: String, messages: [String]) {
        var parser = Parser(source: source, file: "t")
        _ = parser.parse()
        #expect(parser.diagnostics.map(\.message) == messages)
    }

    @Test("errors in one block do not hide errors after it")
    func recovery() {
        var parser = Parser(source: "fn f() {\n  x = (1 +\n}\ny = )\nz = 1", file: "t")
        let program = parser.parse()
        #expect(parser.diagnostics.count == 2)
        #expect(program.last?.assignedName == "z")
    }

    @Test("deep nesting is an error, not a stack overflow")
    func deepNesting() {
        let source = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        var parser = Parser(source: source, file: "t")
        _ = parser.parse()
        #expect(parser.diagnostics.first?.message.contains("nested too deeply") == true)
    }
}

// MARK: - Values

struct ValueTests {
    static func displayCases() -> [(Value, String)] {
        [
            (Value.int(42), "42"),
            (.double(1.0), "1.0"),
            (.double(0.6931471805599453), "0.693147"),
            (.double(1e-7), "1e-07"),
            (.double(-2.5), "-2.5"),
            (.double(1e20), "1e+20"),
            (.double(100000), "100000.0"),
            (.double(.infinity), "inf"),
            (.string("raw"), "raw"),
            (.bool(true), "true"),
            (.nil, "nil"),
            ([1, "a", [2.0]], "[1, \"a\", [2.0]]"),
            (["lr": 0.001, "name": "x\"y"], "{lr: 0.001, name: \"x\\\"y\"}"),
            (.record(Record([("b", 1), ("a", 2)])), "{b: 1, a: 2}"),
        ]
    }

    @Test("display", arguments: ValueTests.displayCases().indices)
    func display(index: Int) {
        let (value, text) = ValueTests.displayCases()[index]
        #expect(value.displayText == text)
    }

    @Test("type names")
    func typeNames() {
        let cases: [(Value, String)] = [
            (.int(1), "number"), (.double(1), "number"), (.string(""), "string"), (.bool(false), "bool"),
            (.nil, "nil"), (.list([]), "list"), (.record(Record()), "record"), (.native(Model()), "Model"),
        ]
        for (value, name) in cases { #expect(value.typeName == name) }
    }

    static func jsonCases() -> [(Value, String)] {
        [
            (Value.int(3), "3"),
            (.double(1.0), "1.0"),
            (.double(0.1), "0.1"),
            (.double(0.6931471805599453), "0.6931471805599453"),
            (.double(1e-7), "1e-07"),
            (.double(-0.0), "-0.0"),
            (.string("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\u0001é\""),
            (.bool(true), "true"),
            (.nil, "null"),
            (["z": 1, "a": [1.5, .nil, "x"]], "{\"z\": 1, \"a\": [1.5, null, \"x\"]}"),
            (.list([]), "[]"),
            (.record(Record()), "{}"),
        ]
    }

    @Test("JSON round trip keeps order, int/double and full precision", arguments: ValueTests.jsonCases().indices)
    func json(index: Int) {
        let (value, json) = ValueTests.jsonCases()[index]
        #expect(value.toJSON() == json)
        #expect(Value(json: json) == value)
    }

    @Test("JSON refuses what it cannot carry")
    func jsonLimits() {
        #expect(Value.double(.nan).toJSON() == nil)
        #expect(Value.list([.function(Builtins.core[0].function)]).toJSON() == nil)
        #expect(Value(json: "{\"a\": }") == nil)
        #expect(Value(json: "[1, 2") == nil)
        #expect(Value(json: "1 2") == nil)
        #expect(Value(json: " {\"k\" : [ true , false ] } ") == ["k": [true, false]])
        #expect(Value(json: "\"\\ud83d\\ude00\"") == "😀")
    }

    @Test("records keep insertion order; assigning nil removes")
    func records() {
        var record = Record()
        record["b"] = 1
        record["a"] = 2
        record["b"] = 3
        #expect(record.keys == ["b", "a"])
        #expect(record["b"] == 3)
        record["b"] = nil
        #expect(record.keys == ["a"])
    }
}

// MARK: - Diagnostics

struct DiagnosticTests {
    @Test("description has location, source line and caret under the token")
    func caret() {
        let diagnostic = Diagnostic(
            location: SourceLocation(file: "quickstart.rlhf", line: 14, column: 9),
            message: "unknown argument 'lr' to fit(); did you mean 'learningRate'?",
            sourceLine: "fit(rm, lr: 3e-4)", length: 2)
        #expect(
            diagnostic.description == """
                quickstart.rlhf:14:9: error: unknown argument 'lr' to fit(); did you mean 'learningRate'?
                fit(rm, lr: 3e-4)
                        ^~
                """)
    }

    @Test("runtime errors quote the cell's line, located in the file")
    func runtimeCaret() {
        let interpreter = Interpreter(output: { _ in })
        do {
            try interpreter.run(source: "x = 1\ny = [1, 2] + x", file: "nb.rlhf", firstLine: 7)
            Issue.record("expected an error")
        } catch let list as DiagnosticList {
            #expect(
                list.description == """
                    nb.rlhf:8:12: error: cannot add list and number
                    y = [1, 2] + x
                               ^
                    """)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("parse errors quote the offending token")
    func parseCaret() {
        var parser = Parser(source: "fit(model, epochs: 3 }", file: "nb.rlhf", firstLine: 3)
        _ = parser.parse()
        #expect(
            parser.diagnostics.first?.description == """
                nb.rlhf:3:22: error: expected ')' after arguments, got '}'
                fit(model, epochs: 3 }
                                     ^
                """)
    }

    @Test(
        "suggestions",
        arguments: [
            ("epoch", ["epochs", "lr"], "epochs"),
            ("polcy", ["policy", "prefs"], "policy"),
            ("learningrate", ["learningRate", "steps"], "learningRate"),
            ("xyz", ["epochs", "lr"], nil),
            ("lr", ["lr"], nil),
            ("lr", ["learningRate", "steps"], "learningRate"),
            ("kc", ["kl_coef", "clip"], "kl_coef"),
            ("learn", ["learningRate", "steps"], "learningRate"),
        ] as [(String, [String], String?)])
    func suggestions(name: String, candidates: [String], expected: String?) {
        #expect(Diagnostic.suggestion(for: name, among: candidates) == expected)
    }
}

// MARK: - Built-ins and argument binding

/// A native value like the ones the RLHF built-ins provide: a property and a bound method.
final class Model: NativeValue {
    var steps = 0
    var typeName: String { "Model" }
    var memberNames: [String] { ["steps", "train"] }
    var displayText: String { "Model(steps: \(steps))" }
    func member(_ name: String) -> Value? {
        switch name {
        case "steps": return .int(steps)
        case "train":
            let epochs = Param.labelled("epochs", .int)
            let learningRate = Param.labelled("learningRate", .number, default: 0.01)
            let signature = BuiltinSignature(
                name: "train", parameters: [epochs.parameter, learningRate.parameter], doc: "Trains the model.")
            return .function(
                Function(signature: signature) { [self] args, _ in
                    steps += try epochs(args)
                    return .double(try learningRate(args))
                })
        default: return nil
        }
    }
}

struct BuiltinTests {
    static func interpreter() -> Interpreter {
        let registry = BuiltinRegistry()
        let model = Param.positional("model", .native("Model", as: Model.self)), epochs = Param.labelled("epochs", .int)
        let learningRate = Param.labelled("learningRate", .number, default: 1e-3)
        registry.register(
            Builtin("fit", [model, epochs, learningRate], doc: "Fits a model.") { args, _ in
                try model(args).steps += try epochs(args)
                return .double(try learningRate(args))
            })
        registry.register(Builtin("newModel", [], doc: "A fresh model.") { _, _ in .native(Model()) })
        return Interpreter(builtins: registry)
    }

    @Test(
        "argument binding errors",
        arguments: [
            ("fit(newModel(), epochs: 1, lr: 0.1)", "unknown argument 'lr' to fit(); did you mean 'learningRate'?"),
            ("fit(newModel(), epoch: 1)", "unknown argument 'epoch' to fit(); did you mean 'epochs'?"),
            ("fit(newModel())", "missing argument 'epochs' (label 'epochs') in call to fit()"),
            ("fit(newModel(), 3)", "too many arguments to fit(): expected 1 positional, got 2"),
            ("fit(newModel(), epochs: \"ten\")", "fit(): argument 'epochs' must be an integer, got string"),
            ("fit(newModel(), epochs: 2.5)", "fit(): argument 'epochs' must be an integer, got 2.5"),
            ("fit(3, epochs: 1)", "fit(): argument 'model' must be a Model, got number"),
            ("fit(model: newModel(), epochs: 1)", "argument 'model' of fit() is positional; pass it without a label"),
            ("newModel().train(epochs: 1, lr: 2)", "unknown argument 'lr' to train(); did you mean 'learningRate'?"),
            ("newModel().trian", "value of type Model has no member 'trian'; did you mean 'train'?"),
            ("round(\"x\")", "round(): argument 'x' must be a number, got string"),
            ("range(1, 2, step: 0)", "range(): argument 'step' must not be zero"),
            ("mean([])", "mean(): argument 'values' must not be empty"),
            ("log(0)", "log(): argument 'x' must be positive, got 0.0"),
            ("fn f(a, b: 1) { a }\nf(1, 2)", "too many arguments to f(): expected 1 positional, got 2"),
            ("fn f(a, b: 1) { a }\nf(c: 2)", "unknown argument 'c' to f(); did you mean 'b'?"),
        ])
    func bindingErrors(source: String, message: String) {
        #expect(runProgram(source, interpreter: BuiltinTests.interpreter()).errors == [message])
    }

    @Test("natives: members, bound methods, labelled arguments and defaults")
    func natives() {
        let result = runProgram(
            """
            m = newModel()
            print(fit(m, epochs: 2))
            print(m.train(epochs: 3, learningRate: 0.5))
            print(m.steps, m, type(m))
            print(m == m, m == newModel())
            """, interpreter: BuiltinTests.interpreter())
        #expect(result.errors == [])
        #expect(result.output == ["0.001", "0.5", "5 Model(steps: 5) Model", "true false"])
    }

    @Test("help comes from the declaration")
    func help() {
        let registry = BuiltinRegistry()
        #expect(
            registry.help("round")
                == "round(_ x: number, digits: int = 0)\n    Rounds half away from zero; with digits 0 the result is an integer."
        )
        #expect(registry.help("print")?.hasPrefix("print(_ values: any..., separator: string = \" \")") == true)
        #expect(registry.help("nope") == nil)
        let names = registry.all.map(\.signature.name)
        #expect(names == names.sorted())
        for core in [
            "print", "range", "len", "str", "round", "min", "max", "sum", "mean", "abs", "sqrt", "exp", "log",
            "append", "keys", "type",
        ] {
            #expect(registry.lookup(core) != nil, "missing \(core)")
        }
    }
}

// MARK: - Interpreter API

struct InterpreterTests {
    @Test("globals persist between runs and can be set by the host")
    func globals() throws {
        let interpreter = Interpreter(output: { _ in })
        interpreter.globals["lr"] = 0.5
        try interpreter.run(source: "steps = 10\nscaled = lr * steps", file: "t")
        #expect(interpreter.globals["steps"] == 10)
        #expect(interpreter.globals["scaled"] == 5.0)
        let value = try interpreter.run(source: "scaled + 1", file: "t")
        #expect(value == 6.0)
        #expect(try interpreter.run(source: "x = 1", file: "t") == nil)
    }

    @Test("evaluate a parsed expression")
    func evaluate() throws {
        var parser = Parser(source: "3e-4 * 2", file: "--param")
        let expr = try parser.expression()
        #expect(try Interpreter().evaluate(expr) == .double(6e-4))
    }

    @Test(
        "a single expression, for hosts",
        arguments: [
            ("3e-4", true), ("[1, 2]", true), ("1 2", false), ("x =", false), ("", false),
        ])
    func singleExpression(source: String, valid: Bool) {
        #expect(((try? Parser.parseExpression(source: source, file: "--param")) != nil) == valid)
    }

    @Test("version references go to the host")
    func versions() {
        let interpreter = Interpreter()
        interpreter.resolveVersion = { name, version, _ in
            guard version > 0 else { throw RuntimeError("\(name) has no version \(version)") }
            return .string("\(name) v\(version)")
        }
        #expect(runProgram("print(policy@3)", interpreter: interpreter).output == ["policy v3"])
        #expect(runProgram("print(policy@-1)", interpreter: interpreter).errors == ["policy has no version -1"])
    }

    @Test("cancellation stops loops")
    func cancellation() {
        let interpreter = Interpreter()
        var polls = 0
        interpreter.isCancelled = {
            polls += 1
            return polls > 100
        }
        #expect(runProgram("while true { }", interpreter: interpreter).errors == ["cancelled"])
    }

    @Test("runtime errors are located RuntimeErrors when running parsed statements")
    func runtimeErrorType() throws {
        let program = try Parser.parse(source: "x = 1\nx.y", file: "t")
        #expect(throws: RuntimeError.self) { try Interpreter().run(program) }
        do {
            try Interpreter().run(program)
        } catch let error as RuntimeError {
            #expect(error.location == SourceLocation(file: "t", line: 2, column: 3))
        } catch {}
    }

    @Test(
        "in-place updates: failures leave variables intact; functions change copies",
        arguments: [
            ("xs = [1, [2]]\nxs[1][0] += \"a\"", "print(xs)", "[1, [2]]"),
            ("r = {a: {b: 1}}\nr.a.c += 1", "print(r)", "{a: {b: 1}}"),
            ("xs = [1]\nxs[3] = 2", "print(xs)", "[1]"),
            ("xs = [1, 2]\nfn f() { xs[0] = 9; return xs }\nprint(f())", "print(xs)", "[1, 2]"),
            (
                "xs = []\nfor i in range(2000) { xs += [i] }\nfor i in range(2000) { xs[i] = xs[i] * 2 }",
                "print(sum(xs))", "3998000"
            ),
        ])
    func inPlaceUpdates(setup: String, check: String, expected: String) {
        let interpreter = Interpreter()
        _ = runProgram(setup, interpreter: interpreter)
        #expect(runProgram(check, interpreter: interpreter).output.last == expected)
    }

    @Test("deeply nested values print without unbounded recursion")
    func deepValues() {
        let result = runProgram("x = []\nfor i in range(500) { x = [x] }\nprint(len(str(x)) < 500)")
        #expect(result.output == ["true"])
    }

    @Test("failed built-ins with foreign errors are reported at the call")
    func foreignErrors() {
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        let registry = BuiltinRegistry()
        registry.register(Builtin("explode", [], doc: "Fails.") { _, _ in throw Boom() })
        #expect(runProgram("explode()", interpreter: Interpreter(builtins: registry)).errors == ["explode(): boom"])
    }
}

// MARK: - Cell files

struct CellFileTests {
    static let text = """
        # preamble comment

        # %% [markdown]
        # # Title
        # %% setup id=setup seed=42
        seed(42)
        x = 1
        # %% parameters
        lr = 1e-3
          #   %%   train   steps
        fit()
        """

    @Test(
        "cells: ordinal, key, title, kind, options, first line",
        arguments: [
            (0, 1, "1", "", Cell.Kind.markdown, 4, "# # Title"),
            (1, 2, "setup", "setup", .code, 6, "seed(42)\nx = 1"),
            (2, 3, "3", "parameters", .code, 9, "lr = 1e-3"),
            (3, 4, "4", "train steps", .code, 11, "fit()"),
        ])
    func cells(index: Int, ordinal: Int, key: String, title: String, kind: Cell.Kind, firstLine: Int, source: String) {
        let file = CellFile.parse(path: "nb.rlhf", text: CellFileTests.text)
        #expect(file.cells.count == 4)
        let cell = file.cells[index]
        #expect(cell.ordinal == ordinal)
        #expect(cell.key == key)
        #expect(cell.title == title)
        #expect(cell.kind == kind)
        #expect(cell.firstLine == firstLine)
        #expect(cell.source == source)
        #expect(cell.isParameters == (title == "parameters"))
    }

    @Test("options keep their order")
    func options() {
        let cell = CellFile.parse(path: "nb.rlhf", text: CellFileTests.text).cells[1]
        #expect(cell.options == [Cell.Option(key: "id", value: "setup"), Cell.Option(key: "seed", value: "42")])
        #expect(cell.option("seed") == "42")
    }

    @Test("code before the first marker is cell 1")
    func leadingCode() {
        let file = CellFile.parse(path: "nb.rlhf", text: "x = 1\n# %% next\ny = 2\n")
        #expect(file.cells.map(\.key) == ["1", "2"])
        #expect(file.cells.map(\.firstLine) == [1, 3])
        #expect(CellFile.parse(path: "e", text: "").cells.isEmpty)
    }

    @Test("syntax errors of all cells and duplicate ids are reported together")
    func diagnostics() {
        let file = CellFile.parse(
            path: "nb.rlhf", text: "# %% a id=x\nf(\n# %% b id=x\ny = )\n# %% [markdown]\nnot code (\n")
        let messages = file.diagnostics().map(\.description)
        #expect(messages.count == 3)
        #expect(messages[0].hasPrefix("nb.rlhf:2:3: error: expected ')' after arguments"))
        #expect(messages[1].hasPrefix("nb.rlhf:3:1: error: duplicate cell id 'x'"))
        #expect(messages[2].hasPrefix("nb.rlhf:4:5: error: unexpected ')'"))
    }

    @Test("the design's quickstart notebook parses")
    func quickstart() {
        let text = """
            # %% [markdown]
            # # Quickstart — the seed's slides 2–7, made to work
            # %% setup id=setup
            seed(42)
            task = VectorTask(dim: 100, candidates: 64, contextual: false)
            policy = PolicyModel(input: 100, hidden: 64, output: 100)
            rm = RewardModel(input: 100, hidden: 64)
            # %% feedback id=feedback
            prefs = collect(task, policy, annotator: BradleyTerry(noise: 0.05), pairs: 1000)
            print(rm.accuracy(task.heldout), policy@-1, load("12/policy@3"))
            """
        let file = CellFile.parse(path: "quickstart.rlhf", text: text)
        #expect(file.cells.map(\.key) == ["1", "setup", "feedback"])
        #expect(file.diagnostics().isEmpty)
    }

    @Test("markdown text drops the comment markers")
    func markdown() {
        let cell = CellFile.parse(path: "nb.rlhf", text: "# %% [markdown]\n# # Title\n# body\n").cells[0]
        #expect(cell.markdownText == "# Title\nbody")
    }
}
