import Foundation
import Testing

/// The README's built-in tables are generated: they must equal `rlhf builtins --markdown` exactly.
@Test func readmeBuiltinTablesEqualTheGeneratedReference() throws {
    let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")
    let text = try String(contentsOf: readme, encoding: .utf8)
    let begin = "<!-- builtins:begin -->\n", end = "\n<!-- builtins:end -->"
    let start = try #require(text.range(of: begin), "README.md has no \(begin)")
    let stop = try #require(text.range(of: end, range: start.upperBound..<text.endIndex), "README.md has no \(end)")
    let cli = try CLI()
    defer { cli.remove() }
    let generated = try cli("builtins", "--markdown", withStore: false)
    #expect(generated.status == 0)
    #expect(
        String(text[start.upperBound..<stop.lowerBound]) + "\n" == generated.stdout,
        "the README's built-in tables are stale: replace them with the output of `rlhf builtins --markdown`")
    // Every built-in appears once, with its doc line.
    #expect(generated.stdout.contains("| `fit(_ rm: inout RewardModel, _ prefs: Preferences, epochs: int = 10"))
    #expect(generated.stdout.contains("| `len(_ value: string \\| list \\| record)` |"))
}
