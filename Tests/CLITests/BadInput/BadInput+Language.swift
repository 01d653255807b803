/// The cell language: syntax errors, nesting past the limit, integer edges, bytes that are not UTF-8, piped shell input
/// that ends inside a statement, and core built-ins given arguments of the wrong type.
extension BadInputCorpus {
    static var language: [BadInputCase] {
        languageSyntax + languageDepth + languageIntegers + languageEncoding + languageShell + languageTypes
            + languageRuntime
    }

    private static func repeated(_ unit: String, _ n: Int, separator: String = "") -> String {
        Array(repeating: unit, count: n).joined(separator: separator)
    }

    /// `x = …` on line 2 of a one-cell notebook whose cell is `c`.
    private static func statement(_ name: String, _ source: String, error: String) -> BadInputCase {
        .notebook("language/\(name)", "# %% c id=c\n\(source)\n", error: error)
    }

    /// Every syntax error of the file is reported before anything runs, with the offending token's location.
    static let languageSyntax: [BadInputCase] =
        ([
            ("missing-operand", "x = ", "nb.rlhf:2:5: error: expected an expression, got end of input"),
            ("unclosed-paren", "x = (1 + 2", "nb.rlhf:2:11: error: expected ')' after expression"),
            ("unclosed-call", "print(1", "nb.rlhf:2:8: error: expected ')' after arguments"),
            ("unclosed-list", "x = [1, 2", "nb.rlhf:2:10: error: expected ']' after list elements"),
            ("unclosed-record", "x = {a: 1", "error: expected '}' after record fields"),
            ("record-without-colon", "x = {a 1}", "nb.rlhf:2:8: error: expected ':' after field name 'a'"),
            ("record-duplicate-field", "x = {a: 1, a: 2}", "nb.rlhf:2:12: error: duplicate field 'a' in record"),
            ("record-number-key", "x = {1: 2}", "nb.rlhf:2:6: error: expected a field name in record, got '1'"),
            ("argument-twice", "print(separator: \"a\", separator: \"b\")", "error: argument 'separator' given twice"),
            ("duplicate-parameter", "fn f(a, a) { return a }", "nb.rlhf:2:9: error: duplicate parameter 'a'"),
            (
                "default-before-required", "fn f(a: 1, b) { return b }",
                "error: parameter 'b' without a default must come before those with one"
            ),
            ("return-outside-function", "return 1", "nb.rlhf:2:1: error: 'return' outside of a function"),
            ("break-outside-loop", "break", "nb.rlhf:2:1: error: 'break' outside of a loop"),
            ("continue-outside-loop", "continue", "nb.rlhf:2:1: error: 'continue' outside of a loop"),
            ("break-in-function-in-loop", "for i in [1] {\n  fn f() { break }\n}", "error: 'break' outside of a loop"),
            ("assign-to-literal", "1 = x", "error: cannot assign to this expression"),
            ("assign-to-call", "f() = 1", "error: cannot assign to this expression"),
            ("two-expressions", "x = 1 2", "nb.rlhf:2:7: error: expected newline or ';' after statement, got '2'"),
            ("bang-negation", "x = !true", "nb.rlhf:2:5: error: unexpected character '!'; use 'not' for negation"),
            ("double-ampersand", "x = true && false", "error: unexpected '&&'; use 'and'"),
            ("double-bar", "x = true || false", "error: unexpected '||'; use 'or'"),
            ("stray-dollar", "x = $y", "nb.rlhf:2:5: error: unexpected character '$'"),
            ("unterminated-string", "x = \"abc", "nb.rlhf:2:5: error: unterminated string"),
            ("unknown-escape", "x = \"a\\qb\"", "error: unknown escape sequence '\\q' in string"),
            ("unicode-escape-without-brace", "x = \"\\u41\"", "error: expected '{' after '\\u' in string"),
            ("unicode-escape-out-of-range", "x = \"\\u{110000}\"", "error: invalid unicode escape"),
            ("unicode-escape-surrogate", "x = \"\\u{D800}\"", "error: invalid unicode escape"),
            (
                "integer-literal-too-large", "x = 99999999999999999999",
                "nb.rlhf:2:5: error: integer literal '99999999999999999999' is too large"
            ),
            ("for-without-variable", "for in [1] { }", "error: expected a loop variable name after 'for'"),
            ("for-reserved-variable", "for if in [1] { }", "'if' is a reserved word"),
            ("for-without-in", "for x [1] { }", "error: expected 'in' after the loop variable"),
            ("while-without-brace", "while true print(1)", "error: expected '{' to begin the while loop body"),
            ("if-unclosed", "if true {\n  x = 1", "error: expected '}' to close the if body"),
            ("stray-closing-brace", "}", "nb.rlhf:2:1: error: unexpected '}'"),
            ("version-without-number", "x = y@", "error: expected a version number after '@'"),
            ("version-of-expression", "x = (1)@2", "error: a version reference needs a variable name before '@'"),
            ("member-without-name", "x = a.", "error: expected a member name after '.'"),
            ("empty-index", "x = [1][]", "nb.rlhf:2:9: error: unexpected ']'"),
            (
                "empty-interpolation", "x = \"a \\() b\"",
                "error: expected an expression before ')' in the string interpolation"
            ),
            ("fn-arrow-without-type", "fn f() -> { return 1 }", "error: expected a type name after '->'"),
            ("not-without-operand", "x = not", "error: expected an expression"),
            ("trailing-operator", "x = 1 +", "error: expected an expression"),
            ("keyword-as-variable", "while = 1", "error:"),
            (
                "many-errors-capped", "x = 1" + repeated("$", 100_000),
                "error: too many errors; stopped after the first 100"
            ),
        ] as [(String, String, String)]).map { statement("syntax/\($0.0)", $0.1, error: $0.2) }

    /// Left-nested chains and right or bracket nesting past the limit, from `run` and from `run --check`.
    static let languageDepth: [BadInputCase] = {
        let message = "error: expression nested too deeply: more than 256 levels"
        let constructs: [(String, (Int) -> String)] = [
            ("plus", { "x = " + repeated("1", $0, separator: " + ") }),
            ("times", { "x = " + repeated("1", $0, separator: "*") }),
            ("and", { "x = " + repeated("true", $0, separator: " and ") }),
            ("or", { "x = " + repeated("false", $0, separator: " or ") }),
            ("member", { "r = {a: 1}\nx = r" + repeated(".a", $0) }),
            ("index", { "x = [1]" + repeated("[0]", $0) }),
            ("call", { "f = fn() { 1 }\nx = f" + repeated("()", $0) }),
            ("parentheses", { "x = " + repeated("(", $0) + "1" + repeated(")", $0) }),
            ("lists", { "x = " + repeated("[", $0) + repeated("]", $0) }),
            ("records", { "x = " + repeated("{a: ", $0) + "1" + repeated("}", $0) }),
            ("negation", { "x = " + repeated("-", $0) + "1" }),
            ("not", { "x = " + repeated("not ", $0) + "true" }),
            ("power", { "x = " + repeated("2", $0, separator: " ** ") }),
            ("if-blocks", { repeated("if true {\n", $0) + repeated("}\n", $0) }),
            ("functions", { repeated("fn f() {\n", $0) + repeated("}\n", $0) }),
            ("interpolation", { "x = " + repeated("\"\\(", $0) + "1" + repeated(")\"", $0) }),
            ("else-if", { "x = 1\n" + repeated("if x == 2 { x = 3 } else ", $0) + "{ x = 4 }" }),
        ]
        var cases: [BadInputCase] = []
        for (name, make) in constructs {
            cases.append(statement("depth/\(name)-5000", make(5_000), error: message))
        }
        for (name, make) in constructs.prefix(6) {
            cases.append(
                .notebook(
                    "language/depth/\(name)-100000-check", "# %% c id=c\n" + make(100_000) + "\n",
                    extra: ["--check"], error: message, store: .unchanged))
        }
        cases.append(statement("depth/line-1MB", "x = " + repeated("1", 500_000, separator: "+"), error: message))
        return cases
    }()

    /// Integer edges: each is a located runtime error, never a trap or a huge allocation.
    static let languageIntegers: [BadInputCase] = {
        let max = "9223372036854775807", min = "(-9223372036854775807 - 1)"
        let cases: [(String, String, String)] = [
            ("range-int-max", "range(\(max))", "range(): 9223372036854775807 elements is too many"),
            (
                "range-full-span", "range(-\(max), \(max))",
                "range(): more than 9223372036854775807 elements is too many"
            ),
            ("range-span-step", "range(\(min), \(max), step: 2)", "elements is too many"),
            ("range-negative-span", "range(\(max), \(min), step: -1)", "elements is too many"),
            ("range-step-zero", "range(1, 2, step: 0)", "range(): argument 'step' must not be zero"),
            ("range-double", "range(1e19)", "range(): argument 'start' must be an integer, got 1e+19"),
            ("range-ten-million", "range(10000001)", "range(): 10000001 elements is too many (at most 10000000)"),
            ("list-repeat-max", "[1] * \(max)", "result too long"),
            ("string-repeat-max", "\"ab\" * \(max)", "result too long"),
            ("list-repeat-left", "\(max) * [1]", "result too long"),
            ("list-repeat-negative", "[1, 2] * -1", "cannot repeat a list a negative number of times (-1)"),
            ("string-repeat-min", "\"a\" * \(min)", "cannot repeat a string a negative number of times"),
            ("power-overflow", "2 ** 63", "integer overflow in 2 ** 63"),
            ("power-huge", "3 ** \(max)", "integer overflow in 3 ** 9223372036854775807"),
            ("zero-to-negative", "0 ** -1", "division by zero in 0 ** -1"),
            ("zero-to-min", "0 ** \(min)", "division by zero in 0 ** -9223372036854775808"),
            ("float-zero-to-negative", "0.0 ** -1", "division by zero in 0.0 ** -1.0"),
            ("zero-to-negative-fraction", "0 ** -0.5", "division by zero in 0.0 ** -0.5"),
            ("negate-min", "-\(min)", "integer overflow in -(-9223372036854775808)"),
            ("abs-min", "abs(\(min))", "integer overflow in abs(-9223372036854775808)"),
            ("min-remainder", "\(min) % -1", "integer overflow in -9223372036854775808 % -1"),
            ("add-overflow", "\(max) + 1", "integer overflow in 9223372036854775807 + 1"),
            ("subtract-overflow", "\(min) - 1", "integer overflow in -9223372036854775808 - 1"),
            ("multiply-overflow", "\(max) * 2", "integer overflow in 9223372036854775807 * 2"),
            ("remainder-by-zero", "5 % 0", "division by zero in remainder"),
            ("divide-by-zero", "5 / 0", "division by zero"),
            ("float-remainder-by-zero", "5.0 % 0.0", "division by zero in remainder"),
            ("sum-overflow", "sum([\(max), 1])", "integer overflow in 9223372036854775807 + 1"),
            ("int-of-huge-double", "int(1e19)", "int(): argument 'value' 1e+19 does not fit an integer"),
            ("int-of-nan", "int(float(\"nan\"))", "int(): argument 'value' nan does not fit an integer"),
            ("int-of-infinity", "int(float(\"-inf\"))", "int(): argument 'value' -inf does not fit an integer"),
            ("int-of-long-string", "int(\"99999999999999999999\")", "is not an integer"),
            (
                "round-huge-digits", "round(1.5, digits: \(max))",
                "round(): argument 'digits' must be between -308 and 308"
            ),
            (
                "format-huge-digits", "format(1.0, digits: \(max))",
                "format(): argument 'digits' must be between 0 and 17"
            ),
            ("format-huge-width", "format(1.0, width: \(max))", "format(): argument 'width' must be between 0 and 200"),
            ("index-max", "[1, 2, 3][\(max)]", "index 9223372036854775807 out of range for list of 3"),
            ("index-min", "[1, 2, 3][\(min)]", "index -9223372036854775808 out of range for list of 3"),
            ("string-index-min", "\"abc\"[\(min)]", "index -9223372036854775808 out of range for string of 3"),
            ("length-times-max", "len(range(10)) * \(max)", "integer overflow in 10 * 9223372036854775807"),
        ]
        var all = cases.map { statement("integer/\($0.0)", "x = \($0.1)", error: $0.2) }
        all.append(
            statement(
                "integer/compound-add", "x = \(max)\nx += 1", error: "integer overflow in 9223372036854775807 + 1"))
        all.append(statement("integer/compound-multiply", "x = \(max)\nx *= 2", error: "integer overflow"))
        return all
    }()

    /// Bytes that are not UTF-8, reported at the first bad byte, before any store is opened.
    static let languageEncoding: [BadInputCase] =
        ([
            (
                "latin1-e-acute", Array("# %%\nx = \"caf".utf8) + [0xE9, 0x22, 0x0A],
                "nb.rlhf:2:9: error: invalid UTF-8 (byte 0xE9)"
            ),
            ("lone-ff", [0xFF], "nb.rlhf:1:1: error: invalid UTF-8 (byte 0xFF)"),
            ("utf16-bom", [0xFE, 0xFF, 0x00, 0x78], "nb.rlhf:1:1: error: invalid UTF-8 (byte 0xFE)"),
            ("overlong-slash", Array("x = 1\n".utf8) + [0xC0, 0xAF], "nb.rlhf:2:1: error: invalid UTF-8 (byte 0xC0)"),
            ("surrogate", Array("# ".utf8) + [0xED, 0xA0, 0x80], "nb.rlhf:1:3: error: invalid UTF-8 (byte 0xED)"),
            (
                "beyond-unicode", Array("x = 1 # ".utf8) + [0xF4, 0x90, 0x80, 0x80],
                "nb.rlhf:1:9: error: invalid UTF-8 (byte 0xF4)"
            ),
            (
                "truncated-at-end", Array("print(1)\n# €".utf8) + [0xE2, 0x82],
                "nb.rlhf:2:4: error: invalid UTF-8 (byte 0xE2)"
            ),
            ("stray-continuation", Array("é = 1 ".utf8) + [0x80], "nb.rlhf:1:7: error: invalid UTF-8 (byte 0x80)"),
            ("after-crlf", Array("x = 1\r\ny = 2\r\n".utf8) + [0xF8], "nb.rlhf:3:1: error: invalid UTF-8 (byte 0xF8)"),
        ] as [(String, [UInt8], String)]).flatMap { name, bytes, error in
            [
                BadInputCase.notebook("language/utf8/\(name)", bytes: bytes, error: error, store: .unchanged),
                BadInputCase.notebook(
                    "language/utf8/\(name)-check", bytes: bytes, extra: ["--check"], error: error,
                    store: .unchanged),
            ]
        }

    /// Piped shell input that ends inside a block, bracket or string: an error, a non-zero exit, nothing committed.
    static let languageShell: [BadInputCase] =
        ([
            (
                "block", "for x in [1] {\n",
                "<shell>:1:14: error: input ended inside the block '{' opened here; expected '}'"
            ),
            ("list", "print([1,\n2\n", "<shell>:1:7: error: input ended inside the list '[' opened here; expected ']'"),
            ("string", "print(\"abc\n", "<shell>:1:7: error: input ended inside the string opened here; expected '\"'"),
            (
                "parenthesis", "fn f(a) {\n  return (a +\n",
                "<shell>:2:10: error: input ended inside the parenthesis '(' opened"
            ),
            ("record", "x = {a: 1,\n", "<shell>:1:5: error: input ended inside the block '{' opened here"),
            ("after-failed-cell", "print(nope)\nwhile true {\n", "<shell>:2:12: error: input ended inside the block"),
            ("nested", "if true {\n  xs = [\n    (1,\n", "<shell>:3:5: error: input ended inside the parenthesis"),
        ] as [(String, String, String)]).map { name, input, error in
            BadInputCase.cli("language/shell/\(name)", [], error: error, store: .noNewCommit, stdin: input)
        }

    /// Core built-ins given arguments of the wrong type or shape.
    static let languageTypes: [BadInputCase] =
        ([
            (
                "min-of-number", "min(5)",
                "min(): argument 'values' must be a list or two or more numbers or strings, got one number"
            ),
            (
                "max-of-string", "max(\"abc\")",
                "max(): argument 'values' must be a list or two or more numbers or strings"
            ),
            // Refused at binding by the declared element type, `number | string | list`.
            ("min-of-nil", "min(nil)", "min(): argument 'values' must be a number, string or list, got nil"),
            ("max-of-record", "max({a: 1})", "max(): argument 'values' must be a number, string or list, got record"),
            (
                "min-of-function", "min(print)",
                "min(): argument 'values' must be a number, string or list, got function"
            ),
            ("min-of-nil-element", "min([nil])", "min(): argument 'values' must be numbers or strings, found nil"),
            ("max-of-nested-list", "max([1, [2]])", "max(): argument 'values' must be numbers or strings, found list"),
            ("max-with-bool", "max(1, true)", "max(): argument 'values' must be a number, string or list, got bool"),
            ("min-of-nothing", "min()", "min(): argument 'values' must not be empty"),
            ("max-of-empty-list", "max([])", "max(): argument 'values' must not be empty"),
            ("min-mixed", "min(1, \"a\")", "min(): argument 'values' must be comparable"),
            ("len-of-number", "len(5)", "len(): argument 'value' must be a string, list or record, got number"),
            ("sum-of-number", "sum(5)", "sum(): argument 'values' must be a list, got number"),
            ("sum-of-strings", "sum([1, \"a\"])", "sum(): argument 'values' must hold numbers, found string"),
            ("mean-of-empty", "mean([])", "mean(): argument 'values' must not be empty"),
            ("keys-of-list", "keys([1])", "keys(): argument 'record' must be a record, got list"),
            ("append-to-number", "append(1, 2)", "append(): argument 'list' must be a list, got number"),
            ("map-with-number", "map([1], 2)", "map(): argument 'transform' must be a function, got number"),
            ("filter-non-bool", "filter([1], fn(x) { 1 })", "filter(): argument 'keep' must return a bool"),
            ("sorted-mixed", "sorted([1, \"a\"])", "sorted(): argument 'list' must hold comparable values"),
            ("sqrt-of-string", "sqrt(\"4\")", "sqrt(): argument 'x' must be a number, got string"),
            (
                "print-separator-number", "print(1, separator: 2)",
                "print(): argument 'separator' must be a string, got number"
            ),
            ("range-of-string", "range(\"3\")", "range(): argument 'start' must be an integer, got string"),
            (
                "round-fractional-digits", "round(1.5, digits: 1.5)",
                "round(): argument 'digits' must be an integer, got 1.5"
            ),
            ("int-of-list", "int([1])", "int(): argument 'value' must be a number or string, got list"),
            ("float-of-nil", "float(nil)", "float(): argument 'value' must be a number or string, got nil"),
            ("abs-of-string", "abs(\"x\")", "abs(): argument 'x' must be a number, got string"),
            ("format-of-string", "format(\"x\")", "format(): argument 'x' must be a number, got string"),
            ("sqrt-negative", "sqrt(-1)", "sqrt(): argument 'x' must not be negative"),
            ("log-zero", "log(0)", "log(): argument 'x' must be positive"),
            (
                "unknown-label", "round(1.5, digit: 2)",
                "unknown argument 'digit' to round() at cell 'c' line 3; did you mean 'digits'?"
            ),
            ("too-many-arguments", "len(1, 2)", "too many arguments to len(): expected 1 positional, got 2"),
            ("missing-argument", "len()", "missing argument 'value' in call to len()"),
            (
                "positional-as-label", "len(value: [1])",
                "argument 'value' of len() is positional; pass it without a label"
            ),
            (
                "collect-pool-string", "collect(task, annotator: Oracle(), pairs: 10, pool: \"big\")",
                "collect(): argument 'pool' must be an integer, got string"
            ),
            (
                "evaluate-judge-number", "evaluate(policy, task, judge: 3)",
                "evaluate(): argument 'judge' must be an Annotator, got number"
            ),
        ] as [(String, String, String)]).map { (name: String, call: String, error: String) -> BadInputCase in
            BadInputCase.notebook(
                "language/types/\(name)",
                """
                # %% c id=c
                task = VectorTask(dim: 4, candidates: 8, contextual: false)
                policy = PolicyModel(input: 4, hidden: 8, output: 4)
                x = \(call)

                """, error: error)
        }

    /// Runtime errors of the language itself.
    static let languageRuntime: [BadInputCase] =
        ([
            ("undefined-variable", "x = nope + 1", "nb.rlhf:2:5: error: undefined variable 'nope'"),
            ("add-list-and-number", "x = [1] + 1", "cannot add list and number"),
            ("call-a-number", "x = 1\ny = x(2)", "cannot call a value of type number"),
            ("no-member", "x = {a: 1}\ny = x.b", "value of type record has no member 'b'"),
            ("iterate-number", "for i in 5 { }", "cannot iterate over number; 'for' needs a list, string or record"),
            ("condition-not-bool", "if 1 { }", "condition must be bool, got number"),
            ("not-of-number", "x = not 1", "operand of 'not' must be bool, got number"),
            ("compare-list", "x = [1] < [2]", "cannot compare list and list with '<'"),
            ("infinite-recursion", "fn f(n) { return f(n + 1) }\nx = f(0)", "maximum call depth (200) exceeded in f()"),
            ("deep-value", "x = 1\nfor i in range(1001) { x = [x] }", "lists and records may nest at most 1000 deep"),
            ("version-reference-unknown", "x = nope@1", "error:"),
            ("slice-a-number", "x = 5[1:2]", "cannot slice a value of type number"),
            ("index-with-string", "x = [1][\"a\"]", "list index must be an integer, got string"),
            ("record-missing-key", "x = {a: 1}[\"b\"]", "record has no key \"b\""),
            ("assign-member-of-number", "x = 1\nx.a = 2", "cannot assign to member 'a' of a value of type number"),
            (
                "huge-cell", "x = 1\n# " + repeated("a", 4 * 1024 * 1024),
                "nb.rlhf:2:1: error: cell is 4194312 bytes; the limit is 4194304 (4 MB)"
            ),
        ] as [(String, String, String)]).map { statement("runtime/\($0.0)", $0.1, error: $0.2) }
}
