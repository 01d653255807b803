import Testing

@testable import Language
@testable import Notebook

/// Every operator and core built-in that takes or makes an integer, at the edges of `Int`: each case prints its value
/// or fails with one located error, never traps, and never allocates beyond the length limit.
struct IntegerEdgeTests {
    static let min = "(-9223372036854775807 - 1)"
    static let max = "9223372036854775807"

    @Test(
        "results at the edges",
        arguments: [
            ("range(\(max) - 2, \(max))", "[9223372036854775805, 9223372036854775806]"),
            ("range(\(min), \(min) + 2)", "[-9223372036854775808, -9223372036854775807]"),
            ("range(9223372036854775800, \(max), step: 5)", "[9223372036854775800, 9223372036854775805]"),
            ("range(\(max), 9223372036854775800, step: -5)", "[9223372036854775807, 9223372036854775802]"),
            ("range(0, -10, step: \(min))", "[0]"),
            ("range(0, 10, step: \(min))", "[]"),
            ("range(5, 0, step: -2)", "[5, 3, 1]"),
            ("range(\(max), 0)", "[]"),
            ("[] * \(max)", "[]"),
            ("\"\" * \(max)", "\"\""),
            ("[1, 2] * 0", "[]"),
            ("2 ** 62", "4611686018427387904"),
            ("(-2) ** 63", "-9223372036854775808"),
            ("2 ** -1", "0.5"),
            ("0 ** 0", "1"),
            ("1 ** \(max)", "1"),
            ("(-1) ** \(max)", "-1"),
            ("\(min) / -1", "9.22337e+18"),
            ("\(max) - \(max)", "0"),
            ("-\(max)", "-9223372036854775807"),
            ("abs(-\(max))", "9223372036854775807"),
            ("[1, 2, 3][\(min):\(max)]", "[1, 2, 3]"),
            ("\"abc\"[\(max):]", "\"\""),
            ("\"abc\"[:\(min)]", "\"\""),
            ("round(1e300)", "1e+300"),
            ("round(2.5, digits: 308)", "2.5"),
            ("int(-9.1e18)", "-9100000000000000000"),
            ("\(min) % \(max)", "-1"),
        ])
    func results(expression: String, expected: String) {
        let result = runOnMainSizedStack("print(str([\(expression)])[1:-1])")
        #expect(result.errors == [])
        #expect(result.output == [expected])
    }

    @Test(
        "located errors at the edges",
        arguments: [
            ("range(\(max))", "range(): 9223372036854775807 elements is too many (at most 10000000)"),
            (
                "range(-\(max), \(max))",
                "range(): more than 9223372036854775807 elements is too many (at most 10000000)"
            ),
            ("range(\(min), \(max), step: 2)", "range(): more than 9223372036854775807 elements is too many"),
            ("range(\(max), \(min), step: -1)", "range(): more than 9223372036854775807 elements is too many"),
            ("range(1, 2, step: 0)", "range(): argument 'step' must not be zero"),
            ("range(1e19)", "range(): argument 'start' must be an integer, got 1e+19"),
            ("[1] * \(max)", "result too long (more than 50000000 elements)"),
            ("\"ab\" * \(max)", "result too long (more than 50000000 elements)"),
            ("\(max) * [1]", "result too long (more than 50000000 elements)"),
            ("[1, 2] * -1", "cannot repeat a list a negative number of times (-1)"),
            ("\"a\" * \(min)", "cannot repeat a string a negative number of times (-9223372036854775808)"),
            ("2 ** 63", "integer overflow in 2 ** 63"),
            ("3 ** \(max)", "integer overflow in 3 ** 9223372036854775807"),
            ("0 ** -1", "division by zero in 0 ** -1"),
            ("0 ** \(min)", "division by zero in 0 ** -9223372036854775808"),
            ("0.0 ** -1", "division by zero in 0.0 ** -1.0"),
            ("0 ** -0.5", "division by zero in 0.0 ** -0.5"),
            ("-\(min)", "integer overflow in -(-9223372036854775808)"),
            ("abs(\(min))", "integer overflow in abs(-9223372036854775808)"),
            ("\(min) % -1", "integer overflow in -9223372036854775808 % -1"),
            ("\(max) + 1", "integer overflow in 9223372036854775807 + 1"),
            ("\(min) - 1", "integer overflow in -9223372036854775808 - 1"),
            ("\(max) * 2", "integer overflow in 9223372036854775807 * 2"),
            ("5 % 0", "division by zero in remainder"),
            ("5 / 0", "division by zero"),
            ("5.0 % 0.0", "division by zero in remainder"),
            ("5 / 0.0", "division by zero"),
            ("sum([\(max), 1])", "integer overflow in 9223372036854775807 + 1"),
            ("int(1e19)", "int(): argument 'value' 1e+19 does not fit an integer"),
            ("int(-1e19)", "int(): argument 'value' -1e+19 does not fit an integer"),
            ("int(float(\"nan\"))", "int(): argument 'value' nan does not fit an integer"),
            ("int(float(\"inf\"))", "int(): argument 'value' inf does not fit an integer"),
            ("int(\"99999999999999999999\")", "int(): argument 'value' \"99999999999999999999\" is not an integer"),
            (
                "round(1.5, digits: \(max))",
                "round(): argument 'digits' must be between -308 and 308, got 9223372036854775807"
            ),
            ("round(1.5, digits: \(min))", "round(): argument 'digits' must be between -308 and 308"),
            ("format(1.0, digits: \(max))", "format(): argument 'digits' must be between 0 and 17"),
            ("format(1.0, width: \(max))", "format(): argument 'width' must be between 0 and 200"),
            ("[1, 2, 3][\(max)]", "index 9223372036854775807 out of range for list of 3"),
            ("[1, 2, 3][\(min)]", "index -9223372036854775808 out of range for list of 3"),
            ("\"abc\"[\(min)]", "index -9223372036854775808 out of range for string of 3"),
            ("len(range(10)) * \(max)", "integer overflow in 10 * 9223372036854775807"),
            ("range(10000001)", "range(): 10000001 elements is too many (at most 10000000)"),
        ])
    func errors(expression: String, message: String) {
        let result = runOnMainSizedStack("x = \(expression)")
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.hasPrefix(message) == true, "\(result.errors)")
    }

    @Test("compound assignment overflows like the operator", arguments: ["+= 1", "*= 2", "-= -1"])
    func compoundAssignment(operation: String) {
        let result = runOnMainSizedStack("x = \(IntegerEdgeTests.max)\nx \(operation)\nprint(x)")
        #expect(result.output == [])
        #expect(result.errors.first?.hasPrefix("integer overflow") == true, "\(result.errors)")
    }

    @Test("an integer literal past Int.max is a located syntax error")
    func literal() {
        var parser = Parser(source: "x = 9223372036854775808", file: "t.rlhf")
        _ = parser.parse()
        #expect(
            parser.diagnostics.map(\.description).first?.hasPrefix(
                "t.rlhf:1:5: error: integer literal '9223372036854775808' is too large") == true)
    }

    @Test(
        "an interpreter's length limit bounds range, repetition and append",
        arguments: [
            "range(1001)", "[1] * 1001", "\"a\" * 1001", "range(1000) + [1]", "append(range(1000), 1)",
        ])
    func lengthLimit(expression: String) {
        let result = runOnMainSizedStack("x = \(expression)") { $0.maximumLength = 1_000 }
        #expect(result.errors.count == 1)
        #expect(
            result.errors.first.map { $0.contains("too") || $0.contains("the most a list may have") } == true,
            "\(result.errors)")
    }
}
