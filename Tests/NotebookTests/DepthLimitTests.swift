import Foundation
import Testing

@testable import Language
@testable import Notebook

/// Runs `body` on a new thread with a stack of `bytes` and waits for it: the CLI runs cells on the 8 MB main thread,
/// while test threads may have much less, so each depth test says which stack it means.
func onStack<T: Sendable>(of bytes: Int, _ body: @escaping @Sendable () -> T) -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.value = body()
        done.signal()
    }
    thread.stackSize = bytes
    thread.start()
    done.wait()
    guard let value = box.value else { preconditionFailure("the thread ended without a result") }
    return value
}

private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

/// Runs `source` in a fresh interpreter with the core built-ins on an 8 MB stack (the main thread's, as in `rlhf run`).
func runOnMainSizedStack(_ source: String, configure: @escaping @Sendable (Interpreter) -> Void = { _ in })
    -> (output: [String], errors: [String])
{
    onStack(of: 8 << 20) {
        let interpreter = Interpreter()
        configure(interpreter)
        return runProgram(source, interpreter: interpreter)
    }
}

/// Every construct that nests: left-nested chains (binary operators, postfix chains) and right or bracket nesting.
/// `make(n)` builds a program with `n` levels of it; `expected(n)` is the output of running it when `n` is allowed.
struct NestingConstruct: Sendable, CustomStringConvertible {
    var description: String
    var make: @Sendable (Int) -> String
    var expected: @Sendable (Int) -> [String]

    static func repeated(_ unit: String, _ n: Int, separator: String = "") -> String {
        Array(repeating: unit, count: n).joined(separator: separator)
    }

    static let all: [NestingConstruct] = [
        .init(
            description: "a + b + …", make: { "print(" + repeated("1", $0, separator: " + ") + ")" },
            expected: { ["\($0)"] }),
        .init(
            description: "a * b * …", make: { "print(" + repeated("1", $0, separator: " * ") + ")" },
            expected: { _ in ["1"] }),
        .init(
            description: "a and b and …", make: { "print(" + repeated("true", $0, separator: " and ") + ")" },
            expected: { _ in ["true"] }),
        .init(
            description: "a or b or …", make: { "print(" + repeated("false", $0, separator: " or ") + ")" },
            expected: { _ in ["false"] }),
        .init(
            description: "x.a.a.a…", make: { "x = {a: 1}\nprint(x" + repeated(".a", $0 - 1) + ")" },
            expected: { $0 <= 2 ? ["1"] : [] }),
        .init(
            description: "x[0][0]…", make: { "x = [7]\nprint(x" + repeated("[0]", $0 - 1) + ")" },
            expected: { $0 <= 2 ? ["7"] : [] }),
        .init(
            description: "f()()()…", make: { "fn f() { return f }\nx = f" + repeated("()", $0 - 1) + "\nprint(1)" },
            expected: { _ in ["1"] }),
        .init(
            description: "((((…))))", make: { "print(" + repeated("(", $0) + "1" + repeated(")", $0) + ")" },
            expected: { _ in ["1"] }),
        .init(
            description: "[[[[…]]]]", make: { "x = " + repeated("[", $0) + repeated("]", $0) + "\nprint(len(x))" },
            expected: { _ in ["1"] }),
        .init(
            description: "{a: {a: …}}",
            make: { "x = " + repeated("{a: ", $0) + "1" + repeated("}", $0) + "\nprint(len(x))" },
            expected: { _ in ["1"] }),
        .init(
            description: "- - - x", make: { "print(" + repeated("-", $0) + "1)" },
            expected: { ["\($0 % 2 == 0 ? 1 : -1)"] }),
        .init(
            description: "not not … x", make: { "print(" + repeated("not ", $0) + "true)" },
            expected: { ["\($0 % 2 == 0)"] }),
        .init(
            description: "a ** b ** …", make: { "print(" + repeated("1", $0, separator: " ** ") + ")" },
            expected: { _ in ["1"] }),
        .init(
            description: "if { if { … } }", make: { repeated("if true {\n", $0) + "print(1)\n" + repeated("}\n", $0) },
            expected: { _ in ["1"] }),
        .init(
            description: "fn { fn { … } }",
            make: {
                repeated("fn f() {\n", $0) + "print(1)\n" + repeated("}\n", $0) + "print(2)"
            }, expected: { _ in ["2"] }),
        .init(
            description: "\"\\(\"\\(…)\")\"", make: { repeated("\"\\(", $0) + "1" + repeated(")\"", $0) },
            expected: { _ in [] }),
        .init(
            description: "else if … chain",
            make: {
                "x = 0\n" + repeated("if x == 1 { print(1) } else ", $0 - 1) + "{ print(0) }"
            }, expected: { _ in ["0"] }),
    ]
}

struct DepthLimitTests {
    /// Well inside the limit every construct parses and runs, on the main thread's stack.
    @Test("nesting within the limit runs", arguments: NestingConstruct.all)
    func withinLimit(construct: NestingConstruct) {
        let n = Parser.maximumNesting - 20
        let result = runOnMainSizedStack(construct.make(n))
        #expect(result.errors.allSatisfy { !$0.contains("nested too deeply") }, "\(result.errors)")
        if !construct.expected(n).isEmpty { #expect(result.output == construct.expected(n)) }
    }

    /// Past the limit, at 5,000 and at 100,000 levels, each construct is one located syntax error: no tree deeper than
    /// the limit is built, so neither parsing, nor freeing the tree, nor running it can overflow the stack.
    @Test("nesting past the limit is a located error", arguments: NestingConstruct.all, [5_000, 100_000])
    func pastLimit(construct: NestingConstruct, levels: Int) {
        let source = construct.make(levels)
        let errors = runOnMainSizedStack(source).errors
        #expect(
            errors.first?.contains("expression nested too deeply: more than \(Parser.maximumNesting) levels") == true,
            "\(errors.prefix(2))")
        // `rlhf run --check` parses the cells of the file without running them.
        let checked = onStack(of: 8 << 20) {
            CellFile.parse(path: "deep.rlhf", text: source).diagnostics().map(\.message)
        }
        #expect(checked.first?.contains("nested too deeply") == true)
    }

    static let chainCases: [(String, Int?)] = {
        let limit = Parser.maximumNesting
        let justInside: String = "x = " + NestingConstruct.repeated("1", limit - 1, separator: "+")
        let chain: String = "x = " + NestingConstruct.repeated("1", limit + 1, separator: "+")
        let brackets: String = "x = " + NestingConstruct.repeated("(", limit + 1) + "1"
        // The error is at the operator or bracket that would make the tree one level too tall.
        return [(justInside, nil), (chain, 4 + 2 * limit), (brackets, 5 + limit)]
    }()

    @Test("left-nested chains count one level per operator, like brackets", arguments: chainCases)
    func chainsCountLikeBrackets(source: String, column: Int?) {
        let diagnostics = onStack(of: 8 << 20) {
            var parser = Parser(source: source, file: "t.rlhf")
            _ = parser.parse()
            return parser.diagnostics
        }
        #expect(diagnostics.first?.location.column == column)
        if column != nil { #expect(diagnostics.first?.message.hasPrefix("expression nested too deeply") == true) }
    }

    /// Deep recursion with a deep expression in each call: each is within its own limit, together they need more
    /// stack than a small thread has. The interpreter stops with an error instead of overflowing it.
    @Test("calls and expressions nested together stop before the stack ends", arguments: [256 << 10, 1 << 20, 8 << 20])
    func stackGuard(stackBytes: Int) {
        let deep = NestingConstruct.repeated("0 + (", 100) + "f(n - 1)" + NestingConstruct.repeated(")", 100)
        let source = "fn f(n) {\n if n == 0 { return 0 }\n return \(deep) + 1\n}\nprint(f(199))"
        let result = onStack(of: stackBytes) { runProgram(source) }
        if result.errors.isEmpty && stackBytes > 256 << 10 {
            #expect(result.output == ["199"])
        } else {
            // The parser's guard (the 200 brackets) or the interpreter's (the 200 calls), whichever comes first.
            #expect(result.errors.first?.contains("nested too deeply") == true, "\(result.errors)")
        }
    }

    @Test("a 256 KB thread parses and runs what it can and reports the rest", arguments: [10, 100, 250])
    func smallThread(levels: Int) {
        let source = "print(" + NestingConstruct.repeated("[", levels) + NestingConstruct.repeated("]", levels) + ")"
        let result = onStack(of: 256 << 10) { runProgram(source) }
        #expect(result.errors.allSatisfy { $0.contains("nested too deeply") })
        #expect(result.errors.isEmpty || result.output.isEmpty)
    }

    @Test("values nested to the limit print, compare and free without overflowing")
    func deepValues() {
        let source = """
            x = 1
            for i in range(\(Interpreter.maximumNesting)) { x = [x] }
            print(x == x, len(str(x)) > 0)
            y = x
            y = nil
            x = [x]
            """
        let result = runOnMainSizedStack(source)
        #expect(result.output == ["true true"])
        #expect(result.errors.first?.contains("may nest at most \(Interpreter.maximumNesting) deep") == true)
    }

    /// A list that holds another twice, 40 times over, is small in memory but has 2⁴⁰ elements to walk: storing it is
    /// refused, and printing or comparing it stops after the length limit instead of running for days.
    static let sharedCases: [(String, [String], String?)] = {
        // d(d(…d(1)…)), 40 deep: a list of 2⁴⁰ ones built from 40 small lists.
        let huge: String = NestingConstruct.repeated("d(", 40) + "1" + NestingConstruct.repeated(")", 40)
        let d = "fn d(v) { return [v, v] }\n"
        return [
            ("x = 1\nfor i in range(40) { x = [x, x] }", [], "value too large: more than 10000 elements"),
            (d + "print(len(str(\(huge))) <= 10010)", ["true"], nil),
            (d + "print(\(huge) == \(huge))", [], "comparison too large: more than 10000 elements"),
            (d + "s = \"\\(\(huge))\"", [], "result too long (more than 10000 elements)"),
        ]
    }()

    @Test("values sharing lists exponentially are bounded", arguments: sharedCases)
    func sharedValues(source: String, output: [String], error: String?) {
        let result = runOnMainSizedStack(source) { $0.maximumLength = 10_000 }
        #expect(result.output == output)
        if let error { #expect(result.errors.first?.hasPrefix(error) == true, "\(result.errors)") }
    }

    @Test(
        "the step budget stops endless programs with a located error",
        arguments: [
            "while true {}", "x = 0\nwhile x >= 0 { x += 1 }", "for i in range(1000000) { i }",
        ])
    func stepBudget(source: String) throws {
        let interpreter = Interpreter(output: { _ in })
        interpreter.maximumSteps = 10_000
        #expect {
            try interpreter.run(source: source, file: "loop.rlhf")
        } throws: { error in
            let message = (error as? DiagnosticList)?.diagnostics.first?.description ?? ""
            return message.hasPrefix("loop.rlhf:") && message.contains("step budget exceeded")
        }
    }
}
