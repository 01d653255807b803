import Foundation
import Testing

@testable import Language
@testable import Notebook

/// Runs every `Golden/*.rlhf` cell file top to bottom in one interpreter, like `rlhf run`, and compares
/// what it printed and the errors it reported with the file's `# expect: <line>` and
/// `# expect error: <substring of the diagnostic>` comments, in order.
struct GoldenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static var files: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".rlhf") }.sorted()
    }

    enum Event: Equatable, CustomStringConvertible {
        case output(String)
        case error(String)

        var description: String {
            switch self {
            case .output(let line): return "output: \(line)"
            case .error(let text): return "error: \(text)"
            }
        }
    }

    static func expectations(in text: String) -> [Event] {
        SourceText.lines(of: text).compactMap { line in
            if let range = line.range(of: "# expect error: ") {
                return .error(String(line[range.upperBound...]))
            }
            if let range = line.range(of: "# expect: ") {
                return .output(String(line[range.upperBound...]))
            }
            return nil
        }
    }

    /// Runs the file and returns printed lines and diagnostics, in the order they happened.
    static func run(_ name: String, text: String) -> [Event] {
        var events: [Event] = []
        let file = CellFile.parse(path: name, text: text)
        let interpreter = Interpreter(output: { text in
            for line in SourceText.lines(of: text) { events.append(.output(line)) }
        })
        for cell in file.codeCells {
            do {
                try interpreter.run(source: cell.source, file: name, firstLine: cell.firstLine)
            } catch let list as DiagnosticList {
                events += list.diagnostics.map { .error($0.description) }
            } catch {
                events.append(.error("unexpected error type: \(error)"))
            }
        }
        return events
    }

    @Test("golden files exist for every language feature")
    func everyFeatureHasAGoldenFile() {
        let features = [
            "arithmetic", "strings", "lists", "records", "control_flow", "functions", "closures",
            "errors_parse", "errors_runtime", "cells", "interpolation", "comparisons", "precedence",
            "slicing",
        ]
        #expect(Set(GoldenTests.files) == Set(features.map { "\($0).rlhf" }))
    }

    @Test("golden file", arguments: GoldenTests.files)
    func golden(_ name: String) throws {
        let text = try String(contentsOf: GoldenTests.directory.appendingPathComponent(name), encoding: .utf8)
        let expected = GoldenTests.expectations(in: text)
        let actual = GoldenTests.run(name, text: text)
        #expect(!expected.isEmpty, "\(name) has no expectations")
        for index in 0..<max(expected.count, actual.count) {
            let want = index < expected.count ? expected[index] : nil
            let got = index < actual.count ? actual[index] : nil
            switch (want, got) {
            case (.output(let line)?, .output(let printed)?):
                #expect(printed == line, "\(name) #\(index + 1)")
            case (.error(let fragment)?, .error(let diagnostic)?):
                #expect(diagnostic.contains(fragment), "\(name) #\(index + 1): \(diagnostic)")
            default:
                Issue.record(
                    "\(name) #\(index + 1): expected \(want?.description ?? "nothing"), got \(got?.description ?? "nothing")"
                )
            }
        }
    }
}
