import Foundation
import Testing

@testable import Language
@testable import Notebook

/// Bytes that are not UTF-8, inputs past the size limits, input that ends inside a bracket or string, and arguments of
/// core built-ins whose types were never checked.
struct InputEdgeTests {
    @Test(
        "invalid UTF-8 is reported at the first bad byte",
        arguments: [
            ([0xFF], "nb.rlhf:1:1: error: invalid UTF-8 (byte 0xFF)"),
            (Array("x = 1\ny = \"".utf8) + [0xC3], "nb.rlhf:2:6: error: invalid UTF-8 (byte 0xC3)"),
            (Array("é = 1 ".utf8) + [0x80], "nb.rlhf:1:7: error: invalid UTF-8 (byte 0x80)"),
            ([0xC0, 0x80], "nb.rlhf:1:1: error: invalid UTF-8 (byte 0xC0)"),
            ([0xE0, 0x80, 0x80], "nb.rlhf:1:1: error: invalid UTF-8 (byte 0xE0)"),
            ([0xED, 0xA0, 0x80], "nb.rlhf:1:1: error: invalid UTF-8 (byte 0xED)"),
            ([0xF4, 0x90, 0x80, 0x80], "nb.rlhf:1:1: error: invalid UTF-8 (byte 0xF4)"),
            (Array("ok".utf8) + [0xE2, 0x28, 0xA1], "nb.rlhf:1:3: error: invalid UTF-8 (byte 0xE2)"),
            ([0xF5, 0x80, 0x80, 0x80], "nb.rlhf:1:1: error: invalid UTF-8 (byte 0xF5)"),
            (Array("a\r\nb\rc\n😀".utf8) + [0xE2, 0x82], "nb.rlhf:4:2: error: invalid UTF-8 (byte 0xE2)"),
            (Array("# %%\nprint(1)\n# %%\n# caf".utf8) + [0xE9], "nb.rlhf:4:6: error: invalid UTF-8 (byte 0xE9)"),
        ] as [([UInt8], String)])
    func invalidUTF8(bytes: [UInt8], expected: String) {
        #expect(throws: Diagnostic.self) { try SourceBytes.text(of: bytes, file: "nb.rlhf") }
        do {
            _ = try SourceBytes.text(of: bytes, file: "nb.rlhf")
        } catch {
            #expect("\(error)" == expected + "; save the file as UTF-8")
        }
    }

    @Test(
        "valid UTF-8 of every length is read unchanged",
        arguments: ["", "x = 1", "é€😀", "\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"])
    func validUTF8(text: String) throws {
        #expect(try SourceBytes.text(of: Array(text.utf8), file: "nb.rlhf") == text)
    }

    @Test("CellFile.load reports a bad byte with its location")
    func loadLocates() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).rlhf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(Array("print(1)\nprint(\"".utf8) + [0xFF, 0x22, 0x29]).write(to: URL(fileURLWithPath: path))
        #expect {
            try CellFile.load(path: path)
        } throws: { error in
            "\(error)".hasPrefix("\(path):2:8: error: invalid UTF-8 (byte 0xFF)")
        }
    }

    @Test("a cell over the size limit is one located error, without lexing it")
    func cellTooLarge() {
        let source = "x = 1\n" + String(repeating: "#", count: Parser.maximumCellBytes)
        var parser = Parser(source: source, file: "big.rlhf", firstLine: 7)
        #expect(parser.parse().isEmpty)
        #expect(
            parser.diagnostics.map(\.description) == [
                "big.rlhf:7:1: error: cell is \(Parser.maximumCellBytes + 6) bytes; the limit is \(Parser.maximumCellBytes) (4 MB): "
                    + "split it into smaller cells"
            ])
    }

    @Test("a cell of a few MB still parses and runs")
    func fewMegabytes() {
        let source = "x = [" + String(repeating: "1, ", count: 1_000_000) + "]\nprint(len(x))"
        #expect(runOnMainSizedStack(source).output == ["1000000"])
    }

    @Test("a million stray characters give a hundred errors, not a million", arguments: ["!", ")", "$", "@"])
    func manyErrors(character: String) {
        var parser = Parser(source: "x = 1" + String(repeating: character, count: 1_000_000), file: "t.rlhf")
        _ = parser.parse()
        #expect(parser.diagnostics.count <= Parser.maximumDiagnostics + 1)
        #expect(!parser.diagnostics.isEmpty)
        // Each error quotes a window of the 1 MB line, not all of it.
        #expect(parser.diagnostics.allSatisfy { $0.description.count < 600 })
    }

    @Test(
        "what is open at the end of the input",
        arguments: [
            ("for x in [1] {", "{", 1, 14),
            ("x = [1,\n2", "[", 1, 5),
            ("print(\"abc", "\"", 1, 7),
            ("x = 1\ny = (2 +\n\n 3", "(", 2, 5),
            ("f(\"a)\", [", "[", 1, 9),
            ("x = \"\\\"(\" # (", nil, 0, 0),
            ("x = 1 # {", nil, 0, 0),
            ("if x {\n  y = [1, 2]\n}", nil, 0, 0),
            ("print(\"\\(f(1)) {\")", nil, 0, 0),
            (")(", "(", 1, 2),
        ] as [(String, Character?, Int, Int)])
    func openConstruct(source: String, opener: Character?, line: Int, column: Int) {
        let open = OpenConstruct.innermost(in: source)
        #expect(open?.opener == opener)
        if opener != nil {
            #expect(open?.line == line)
            #expect(open?.column == column)
        }
    }

    @Test(
        "core built-ins check their argument types",
        arguments: [
            ("min(5)", "min(): argument 'values' must be a list or two or more numbers or strings, got one number"),
            (
                "max(\"abc\")",
                "max(): argument 'values' must be a list or two or more numbers or strings, got one string"
            ),
            // The declared element type (`number | string | list`) refuses these at binding, in its own words.
            ("min(nil)", "min(): argument 'values' must be a number, string or list, got nil"),
            ("max({a: 1})", "max(): argument 'values' must be a number, string or list, got record"),
            ("min(print)", "min(): argument 'values' must be a number, string or list, got function"),
            ("min([nil])", "min(): argument 'values' must be numbers or strings, found nil"),
            ("max([1, [2]])", "max(): argument 'values' must be numbers or strings, found list"),
            ("max(1, true)", "max(): argument 'values' must be a number, string or list, got bool"),
            ("min()", "min(): argument 'values' must not be empty"),
            ("max([])", "max(): argument 'values' must not be empty"),
            ("min(1, \"a\")", "min(): argument 'values' must be comparable: cannot compare string and number"),
            ("len(5)", "len(): argument 'value' must be a string, list or record, got number"),
            ("sum(5)", "sum(): argument 'values' must be a list, got number"),
            ("sum([1, \"a\"])", "sum(): argument 'values' must hold numbers, found string"),
            ("mean([])", "mean(): argument 'values' must not be empty"),
            ("keys([1])", "keys(): argument 'record' must be a record, got list"),
            ("append(1, 2)", "append(): argument 'list' must be a list, got number"),
            ("map([1], 2)", "map(): argument 'transform' must be a function, got number"),
            ("filter([1], fn(x) { 1 })", "filter(): argument 'keep' must return a bool"),
            ("sorted([1, \"a\"])", "sorted(): argument 'list' must hold comparable values"),
            ("sqrt(\"4\")", "sqrt(): argument 'x' must be a number, got string"),
            ("print(1, separator: 2)", "print(): argument 'separator' must be a string, got number"),
            ("range(\"3\")", "range(): argument 'start' must be an integer, got string"),
            ("round(1.5, digits: 1.5)", "round(): argument 'digits' must be an integer, got 1.5"),
            ("int([1])", "int(): argument 'value' must be a number or string, got list"),
            ("float(nil)", "float(): argument 'value' must be a number or string, got nil"),
            ("abs(\"x\")", "abs(): argument 'x' must be a number, got string"),
            ("format(\"x\")", "format(): argument 'x' must be a number, got string"),
        ])
    func builtinTypes(call: String, message: String) {
        let result = runOnMainSizedStack("x = \(call)")
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.hasPrefix(message) == true, "\(result.errors)")
    }
}
