import Foundation
import Store
import Web

/// Plain-text rendering helpers for listings: aligned columns, byte sizes, short hashes, JSON.
enum Format {
    /// Left-aligned columns separated by two spaces; numbers right-aligned.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let layout = TableLayout(header: header, rows: rows)
        return ([header] + rows).map(layout.line).joined(separator: "\n")
    }

    static func bytes(_ n: Int) -> String { TextFormat.bytes(n) }

    /// One line saying what a commit stored: `✓ commit 3 · policy@2 (+52.1 KB) · 40 metric points · 12 ms`.
    static func commit(_ summary: CommitSummary, durationMs: Double) -> String {
        var parts = ["✓ commit \(summary.commit)"]
        parts += summary.newVersions.map { v in
            "\(v.object)@\(v.version) (+\(bytes(v.bytesWritten))\(v.rows.map { ", \($0) rows" } ?? ""))"
        }
        if summary.feedbackRows > 0 { parts.append("\(summary.feedbackRows) feedback rows") }
        if summary.metrics > 0 { parts.append("\(summary.metrics) metric points") }
        if summary.artifacts > 0 { parts.append("\(summary.artifacts) chart\(summary.artifacts == 1 ? "" : "s")") }
        parts.append(milliseconds(durationMs))
        return parts.joined(separator: " · ")
    }

    static func hash(_ h: String) -> String { String(h.prefix(12)) }

    static func milliseconds(_ ms: Double) -> String {
        ms < 1000 ? String(format: "%.0f ms", ms) : String(format: "%.2f s", ms / 1000)
    }

    static func number(_ x: Double) -> String { TextFormat.number(x) }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
