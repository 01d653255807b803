import Foundation
import Language

extension NotebookRunner {
    /// A failed cell's error as the user sees it. Language errors are already located diagnostics; anything else
    /// (the store refusing the commit, say) is located at the cell's first line, so every error reads
    /// `file:line:col: error: …` with the line quoted under it.
    static func report(_ error: any Error, file: String, source: String, firstLine: Int) -> String {
        if error is DiagnosticList || error is Diagnostic { return "\(error)" }
        let lines = SourceText.lines(of: source)
        let offset = lines.firstIndex { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#") } ?? 0
        let line = lines.indices.contains(offset) ? lines[offset] : ""
        let column =
            (line.firstIndex { $0 != " " && $0 != "\t" }).map { line.distance(from: line.startIndex, to: $0) + 1 } ?? 1
        let located = Diagnostic(
            location: SourceLocation(file: file, line: firstLine + offset, column: column), message: "\(error)",
            sourceLine: line.isEmpty ? nil : line, length: max(1, line.count - column + 1))
        return located.description
    }
}
