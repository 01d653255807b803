import Foundation

/// Renders a chart as Unicode text for a terminal, fitted to a width in columns: bars and boxes horizontally
/// (their labels stay readable), lines on a braille canvas (2 × 4 dots per character).
///
/// ```swift
/// print(TextChart.render(chart, width: 80, color: false))
/// ```
public enum TextChart {
    /// Glyphs telling series apart without colour: bar fills and line markers.
    static let fills: [Character] = ["█", "▒", "░", "▓"]
    static let markerGlyphs: [Character] = ["●", "■", "▲", "◆", "✚", "○"]
    /// ANSI colours per series (used only when `color` is true).
    static let colors = ["34", "33", "32", "31", "35", "36"]

    /// The chart as lines of text no wider than `width` (at least 30) columns.
    public static func render(_ chart: Chart, width: Int = 80, color: Bool = false) -> String {
        let width = max(width, 30)
        var lines: [String] = []
        if !chart.title.isEmpty { lines.append(fit(chart.title, width)) }
        switch chart.kind {
        case .bars: lines += bars(chart, width: width, color: color)
        case .box: lines += boxes(chart, width: width)
        case .line(let markers): lines += line(chart, width: width, markers: markers, color: color)
        }
        return lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
            .joined(separator: "\n")
    }

    // MARK: Bars

    static func bars(_ chart: Chart, width: Int, color: Bool) -> [String] {
        let axis = chart.yAxis()
        let labelWidth = min(chart.categories.map(\.count).max() ?? 0, width / 3)
        let values = chart.series.flatMap(\.y)
        let valueWidth = (values.map { number($0).count }.max() ?? 1) + 1
        let barWidth = max(width - labelWidth - valueWidth - 2, 8)
        var lines: [String] = []
        for (c, category) in chart.categories.enumerated() {
            for (s, series) in chart.series.enumerated() {
                let label =
                    s == 0 ? pad(fit(category, labelWidth), labelWidth) : String(repeating: " ", count: labelWidth)
                let value = c < series.y.count ? series.y[c] : .nan
                let bar = barText(value, axis: axis, width: barWidth, fill: fills[s % fills.count])
                let painted = color ? "\u{1B}[\(colors[s % colors.count])m\(bar)\u{1B}[0m" : bar
                lines.append("\(label) │\(painted) \(number(value))")
            }
            if chart.series.count > 1 && c < chart.categories.count - 1 {
                lines.append(String(repeating: " ", count: labelWidth) + " │")
            }
        }
        lines.append(String(repeating: " ", count: labelWidth) + " └" + String(repeating: "─", count: barWidth))
        lines.append(String(repeating: " ", count: labelWidth + 2) + tickLine(axis, width: barWidth))
        if !chart.yLabel.isEmpty {
            lines.append(String(repeating: " ", count: labelWidth + 2) + fit(chart.yLabel, barWidth))
        }
        if chart.series.count > 1 { lines.append(fit(legend(chart.series.map(\.name), glyphs: fills), width)) }
        return lines
    }

    /// A bar from the axis' zero (or its lower end) to `value`, in eighths of a column where it grows rightwards.
    static func barText(_ value: Double, axis: Axis, width: Int, fill: Character) -> String {
        guard value.isFinite else { return String(repeating: " ", count: width) }
        let origin = min(max(0, axis.domain.lowerBound), axis.domain.upperBound)
        let zero = Axis.clamped(axis.fraction(origin)) * Double(width)
        let end = Axis.clamped(axis.fraction(value)) * Double(width)
        var cells = Array(repeating: " ", count: width)
        if end >= zero {
            let eighths = Int(((end - zero) * 8).rounded())
            let start = Int(zero.rounded())
            for i in 0..<(eighths / 8) where start + i < width { cells[start + i] = String(fill) }
            let rest = eighths % 8
            if rest > 0, start + eighths / 8 < width {
                cells[start + eighths / 8] = fill == "█" ? String(partialBlocks[rest]) : String(fill)
            }
        } else {
            for i in Int(end.rounded())..<Int(zero.rounded()) where i >= 0 && i < width { cells[i] = String(fill) }
        }
        return cells.joined()
    }

    static let partialBlocks: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    // MARK: Boxes

    static func boxes(_ chart: Chart, width: Int) -> [String] {
        let axis = chart.yAxis()
        let labelWidth = min(chart.categories.map(\.count).max() ?? 0, width / 3)
        let plotWidth = width - labelWidth - 2
        func column(_ v: Double) -> Int { Int((Axis.clamped(axis.fraction(v)) * Double(plotWidth - 1)).rounded()) }
        var lines: [String] = []
        for (i, box) in chart.boxes.enumerated() {
            var cells = Array(repeating: Character(" "), count: plotWidth)
            let label = pad(fit(i < chart.categories.count ? chart.categories[i] : "", labelWidth), labelWidth)
            guard box.count > 0 else {
                lines.append("\(label) │ (no data)")
                continue
            }
            let (lw, a, m, b, uw) = (
                column(box.lowerWhisker), column(box.q1), column(box.median), column(box.q3),
                column(box.upperWhisker)
            )
            for c in lw...uw { cells[c] = "─" }
            for c in a...b { cells[c] = "▒" }
            cells[lw] = "├"
            cells[uw] = "┤"
            cells[m] = "┃"
            for outlier in box.outliers { cells[column(outlier)] = "∘" }
            lines.append("\(label) │" + String(cells))
        }
        lines.append(String(repeating: " ", count: labelWidth) + " └" + String(repeating: "─", count: plotWidth))
        lines.append(String(repeating: " ", count: labelWidth + 2) + tickLine(axis, width: plotWidth))
        if !chart.yLabel.isEmpty {
            lines.append(String(repeating: " ", count: labelWidth + 2) + fit(chart.yLabel, plotWidth))
        }
        lines.append(fit("▒ quartiles  ┃ median  ├─┤ 1.5 IQR  ∘ outliers", width))
        return lines
    }

    // MARK: Lines

    static func line(_ chart: Chart, width: Int, markers: Bool, color: Bool) -> [String] {
        let axis = chart.yAxis()
        let tickLabels = axis.ticks.map(axis.label)
        let gutter = max(tickLabels.map(\.count).max() ?? 1, 1)
        let columns = max(width - gutter - 2, 10)
        let rows = 12
        let (xMin, xMax) = chart.xExtent
        let inset = chart.isCategoricalLine ? 0.5 / Double(max(chart.categories.count, 1)) : 0
        func dotX(_ x: Double) -> Double {
            let f = Axis.clamped(Axis.fraction(x, from: xMin, to: xMax))
            return (inset + f * (1 - 2 * inset)) * Double(columns * 2 - 1)
        }
        func dotY(_ y: Double) -> Double { (1 - Axis.clamped(axis.fraction(y))) * Double(rows * 4 - 1) }

        var canvas = BrailleCanvas(columns: columns, rows: rows)
        var markCells: [(row: Int, column: Int, glyph: Character, series: Int)] = []
        let useMarkers = markers || chart.series.count > 1
        for (s, series) in chart.series.enumerated() {
            let points = zip(series.x, series.y).filter { $0.0.isFinite && $0.1.isFinite }
            if points.count == 1 { canvas.plot(dotX(points[0].0), dotY(points[0].1), series: s) }
            for (p, q) in zip(points, points.dropFirst()) {
                canvas.line(from: (dotX(p.0), dotY(p.1)), to: (dotX(q.0), dotY(q.1)), series: s)
            }
            if useMarkers && points.count <= columns / 2 {
                for p in points {
                    markCells.append((Int(dotY(p.1)) / 4, Int(dotX(p.0)) / 2, markerGlyphs[s % markerGlyphs.count], s))
                }
            }
        }
        var grid = canvas.characters()
        // Bands and vertical marks fill only cells no line passes through, so the lines stay readable.
        if !chart.isCategoricalLine {
            for mark in chart.marks where mark.x >= xMin && mark.x <= xMax {
                let column = Int(dotX(mark.x)) / 2
                for row in 0..<rows where column < columns && grid[row][column].glyph == " " {
                    grid[row][column] = ("┊", nil)
                }
            }
        }
        for (s, series) in chart.series.enumerated() {
            guard let band = series.band else { continue }
            let points = (0..<series.x.count).filter {
                series.x[$0].isFinite && band.low[$0].isFinite && band.high[$0].isFinite
            }
            for (i, j) in zip(points, points.dropFirst()) {
                let (x0, x1) = (dotX(series.x[i]), dotX(series.x[j]))
                for column in (Int(x0) / 2)...max(Int(x0) / 2, Int(x1) / 2) where column < columns {
                    let t = x1 > x0 ? Axis.clamped((Double(column * 2) - x0) / (x1 - x0)) : 0
                    let high = dotY(band.high[i] + (band.high[j] - band.high[i]) * t)
                    let low = dotY(band.low[i] + (band.low[j] - band.low[i]) * t)
                    for row in (Int(high) / 4)...max(Int(high) / 4, Int(low) / 4)
                    where row < rows && grid[row][column].glyph == " " {
                        grid[row][column] = ("·", s)
                    }
                }
            }
        }
        for mark in markCells where mark.row < rows && mark.column < columns {
            grid[mark.row][mark.column] = (mark.glyph, mark.series)
        }
        var labelAtRow: [Int: String] = [:]
        for (tick, label) in zip(axis.ticks, tickLabels) {
            labelAtRow[Int(dotY(tick).rounded()) / 4] = label
        }
        var lines: [String] = []
        for r in 0..<rows {
            let label = labelAtRow[r].map { pad($0, gutter, right: true) } ?? String(repeating: " ", count: gutter)
            var text = ""
            for cell in grid[r] {
                if color, let s = cell.series, cell.glyph != " " {
                    text += "\u{1B}[\(colors[s % colors.count])m\(cell.glyph)\u{1B}[0m"
                } else {
                    text.append(cell.glyph)
                }
            }
            lines.append("\(label) \(labelAtRow[r] == nil ? "│" : "┤")\(text)")
        }
        lines.append(String(repeating: " ", count: gutter) + " └" + String(repeating: "─", count: columns))
        let indent = String(repeating: " ", count: gutter + 2)
        if chart.isCategoricalLine {
            lines.append(indent + categoryLine(chart.categories, width: columns))
        } else {
            lines.append(indent + tickLine(Axis(covering: xMin, xMax, ticks: 6), width: columns, exact: (xMin, xMax)))
        }
        if !chart.xLabel.isEmpty { lines.append(indent + fit(chart.xLabel, columns)) }
        if !chart.yLabel.isEmpty { lines.append("y: " + fit(chart.yLabel, width - 3)) }
        if chart.series.count > 1 || (useMarkers && !chart.series.isEmpty && !chart.series[0].name.isEmpty) {
            lines.append(fit(legend(chart.series.map(\.name), glyphs: markerGlyphs), width))
        }
        if chart.series.contains(where: { $0.band != nil }) { lines.append(fit("· 95% interval", width)) }
        let shown = chart.isCategoricalLine ? [] : chart.marks.filter { $0.x >= xMin && $0.x <= xMax }
        if !shown.isEmpty {
            lines.append(
                fit("┊ " + shown.map { "\(TextChart.number($0.x)) \($0.label)" }.joined(separator: " · "), width))
        }
        return lines
    }

    // MARK: Axes and text

    /// Tick labels placed under their columns, skipping any that would overlap the previous one. With `exact`, the
    /// columns span that range rather than the axis' domain (for data x that does not start on a tick).
    static func tickLine(_ axis: Axis, width: Int, exact: (Double, Double)? = nil) -> String {
        var cells = Array(repeating: Character(" "), count: width)
        var free = 0
        let (lo, hi) = exact ?? (axis.domain.lowerBound, axis.domain.upperBound)
        for tick in axis.ticks where tick >= lo - 1e-12 && tick <= hi + 1e-12 {
            let f = Axis.clamped(Axis.fraction(tick, from: lo, to: hi))
            let label = Array(axis.label(tick))
            let centre = Int((f * Double(width - 1)).rounded())
            let start = min(max(centre - label.count / 2, 0), width - label.count)
            guard start >= free, start >= 0 else { continue }
            for (i, ch) in label.enumerated() { cells[start + i] = ch }
            free = start + label.count + 1
        }
        return String(cells)
    }

    /// Category names centred in equal slots, shortened with `…` to fit.
    static func categoryLine(_ categories: [String], width: Int) -> String {
        guard !categories.isEmpty else { return "" }
        let slot = width / categories.count
        return categories.map { name in
            let text = fit(name, max(slot - 1, 1))
            let left = (slot - text.count) / 2
            return String(repeating: " ", count: left) + text + String(repeating: " ", count: slot - left - text.count)
        }.joined()
    }

    static func legend(_ names: [String], glyphs: [Character]) -> String {
        names.enumerated().map { "\(glyphs[$0.offset % glyphs.count]) \($0.element)" }.joined(separator: "   ")
    }

    /// `text` shortened to `width` characters with a trailing `…`.
    static func fit(_ text: String, _ width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return String(text.prefix(width)) }
        return String(text.prefix(width - 1)) + "…"
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(width - text.count, 0))
        return right ? fill + text : text + fill
    }

    /// A value as bar labels show it: up to 4 significant digits.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        return String(format: "%.4g", value)
    }
}
