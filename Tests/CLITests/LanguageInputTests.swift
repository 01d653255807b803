import Foundation
import Testing

/// The language's bad inputs, through the binary users run: deep and long inputs, bytes that are not UTF-8, piped
/// shell input that ends inside a statement, and lab built-in arguments of the wrong type. Each is one located error
/// and exit status 1, never a signal.
struct LanguageInputTests {
    static func repeated(_ unit: String, _ n: Int, separator: String = "") -> String {
        Array(repeating: unit, count: n).joined(separator: separator)
    }

    static let deepCases: [(String, String)] = [
        ("plus-5000", "x = " + repeated("1", 5_000, separator: "+")),
        ("plus-100000", "x = " + repeated("1", 100_000, separator: "+")),
        ("and-5000", "x = " + repeated("true", 5_000, separator: " and ")),
        ("member-5000", "r = {a: 1}\nx = r" + repeated(".a", 5_000)),
        ("index-100000", "x = [1]" + repeated("[0]", 100_000)),
        ("call-100000", "f = fn() { 1 }\nx = f" + repeated("()", 100_000)),
        ("negate-100000", "x = " + repeated("-", 100_000) + "1"),
        ("not-5000", "x = " + repeated("not ", 5_000) + "true"),
        ("power-5000", "x = " + repeated("2", 5_000, separator: " ** ")),
        ("brackets-100000", "x = " + repeated("[", 100_000) + repeated("]", 100_000)),
        ("blocks-5000", repeated("if true {\n", 5_000) + repeated("}\n", 5_000)),
        ("line-1MB", "x = " + repeated("1", 500_000, separator: "+")),
    ]

    @Test("deep and long inputs are one located error from run and run --check", arguments: deepCases, [true, false])
    func deep(input: (name: String, source: String), check: Bool) throws {
        let (name, source) = input
        let cli = try CLI()
        defer { cli.remove() }
        let path = try cli.write("\(name).rlhf", source + "\n")
        let r = try cli.run(check ? ["run", "--check", path] : ["run", path])
        #expect(r.status == 1, "\(name): status \(r.status)")
        #expect(r.stderr.hasPrefix("\(path):"))
        #expect(r.stderr.contains("error: expression nested too deeply: more than 256 levels"))
        #expect(!r.stderr.contains("Crash") && !r.stderr.contains("Fatal"))
    }

    @Test("a 1 MB string and a million-element list run")
    func longButFlat() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let path = try cli.write(
            "flat.rlhf",
            "s = \"" + String(repeating: "a", count: 1_000_000) + "\"\nprint(len(s))\n"
                + "xs = [" + LanguageInputTests.repeated("1", 1_000_000, separator: ",") + "]\nprint(len(xs))\n")
        let r = try cli("run", "--quiet", path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("1000000\n1000000"))
    }

    @Test(
        "a notebook that is not UTF-8 is refused at its first bad byte, before a store exists",
        arguments: [
            (Array("print(1)\nprint(\"".utf8) + [0xFF, 0x22, 0x29, 0x0A], "2:8: error: invalid UTF-8 (byte 0xFF)"),
            (Array("# %%\nx = 1\n# %%\n# caf".utf8) + [0xE9, 0x0A], "4:6: error: invalid UTF-8 (byte 0xE9)"),
            ([0xFE, 0xFF, 0x00, 0x78], "1:1: error: invalid UTF-8 (byte 0xFE)"),
        ] as [([UInt8], String)])
    func notUTF8(bytes: [UInt8], message: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        let path = cli.folder.appendingPathComponent("latin1.rlhf").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        for arguments in [["run", path], ["run", "--check", path]] {
            let r = try cli.run(arguments)
            #expect(r.status == 1)
            #expect(r.stderr.hasPrefix("\(path):\(message)"), "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: cli.store))
    }

    @Test(
        "piped shell input that ends inside a statement is an error and commits nothing",
        arguments: [
            ("for x in [1] {\n", "<shell>:1:14: error: input ended inside the block '{' opened here; expected '}'"),
            ("x = 1\nprint([1,\n2\n", "<shell>:2:7: error: input ended inside the list '[' opened here; expected ']'"),
            ("y = 2\nprint(\"abc\n", "<shell>:2:7: error: input ended inside the string opened here; expected '\"'"),
            ("fn f(a) {\n  return (a +\n", "<shell>:2:10: error: input ended inside the parenthesis '(' opened here"),
        ])
    func pipedInputEndsInside(input: String, message: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        let r = try cli(stdin: input)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix(message), "\(r.stderr)")
        // Only the complete inputs before it were committed (`x = 1`, `y = 2`); the unfinished one never ran.
        let complete = input.hasPrefix("x") || input.hasPrefix("y") ? "1" : "0"
        #expect(try cli.scalar("SELECT count(*) FROM cells") == complete)
    }

    @Test(
        "lab built-ins check the type of arguments they do not use",
        arguments: [
            (
                "collect(task, annotator: Oracle(), pairs: 10, pool: \"big\")",
                "collect(): argument 'pool' must be an integer, got string"
            ),
            ("evaluate(policy, task, judge: 3)", "evaluate(): argument 'judge' must be an Annotator, got number"),
            (
                "compare(policy, policy, task: task, judge: \"me\")",
                "compare(): argument 'judge' must be an Annotator, got string"
            ),
        ])
    func labArgumentTypes(call: String, message: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        let path = try cli.write(
            "lab.rlhf",
            """
            seed(1)
            task = VectorTask(dim: 4, candidates: 8, contextual: false)
            policy = PolicyModel(input: 4, hidden: 8, output: 4)
            x = \(call)

            """)
        let r = try cli("run", path)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("\(path):4:"), "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }
}
