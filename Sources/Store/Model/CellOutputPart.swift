import Foundation

/// A piece of a cell's output, in the order the cell printed it: text, or a chart the cell drew.
///
/// ```swift
/// for part in cell.outputParts(charts: try store.artifacts(run: 12)) {
///     switch part {
///     case .text(let text): print(text, terminator: "")
///     case .chart(let chart, _): print(chart.name)
///     }
/// }
/// ```
public enum CellOutputPart: Sendable, Equatable {
    /// Printed text, exactly as stored (blank lines at its edges included); never empty.
    case text(String)
    /// An SVG chart. `printed`: its terminal drawing (`text`) was found in the output and is cut out of the text parts
    /// where it stood; otherwise the chart comes after all the text.
    case chart(StoredArtifact, printed: Bool)
}

extension CellInfo {
    /// The cell's output with each SVG chart of its commit put where the cell printed its terminal drawing, as `rlhf
    /// report` shows it. The text parts and the printed charts' `text`, in order, are the stored output exactly.
    public func outputParts(charts: [StoredArtifact]) -> [CellOutputPart] {
        var parts: [CellOutputPart] = []
        var unprinted: [CellOutputPart] = []
        var rest = Substring(output)
        for chart in charts where chart.commit == commit && chart.mediaType == "image/svg+xml" {
            if let text = chart.text, !text.isEmpty, let range = rest.range(of: text) {
                if range.lowerBound > rest.startIndex { parts.append(.text(String(rest[..<range.lowerBound]))) }
                parts.append(.chart(chart, printed: true))
                rest = rest[range.upperBound...]
            } else {
                unprinted.append(.chart(chart, printed: false))
            }
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        return parts + unprinted
    }
}
