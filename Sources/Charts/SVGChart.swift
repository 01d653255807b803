import Foundation

/// Renders a chart as a standalone SVG document: title, axis labels, nice ticks with grid lines, a legend when there
/// is more than one series, and category labels rotated when they would collide.
///
/// Every element carries a class (`title`, `tick`, `category`, `bar`, `line`, `marker`, `box`, `median`,
/// `whisker`, `outlier`, `legend`) so the output can be styled and checked.
///
/// ```swift
/// try svg.write(to: URL(fileURLWithPath: "chart.svg"), atomically: true, encoding: .utf8)
/// ```
public enum SVGChart {
    /// Colour-blind-safe palette (Tableau 10), one colour per series.
    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1", "#edc948", "#9c755f"]
    static let fontSize = 13.0
    static let tickFontSize = 12.0
    /// Average advance of a character of the sans-serif font, as a fraction of its size (enough to predict overlap).
    static let characterWidth = 0.6
    /// Angle of category labels that would collide when horizontal.
    static let rotation = -40.0

    /// The SVG text of `chart`, `width` pixels wide; the height grows when rotated labels need room.
    public static func render(_ chart: Chart, width: Double = 720, height: Double = 420) -> String {
        var layout = Layout(chart: chart, width: width, height: height)
        layout.compute()
        var out = SVGWriter(width: layout.width, height: layout.height)
        out.open("title", [:], text: chart.title.isEmpty ? "chart" : chart.title)
        out.element(
            "rect",
            [
                "class": "background", "x": "0", "y": "0", "width": n(layout.width), "height": n(layout.height),
                "fill": "#ffffff",
            ])
        if !chart.title.isEmpty {
            out.open(
                "text",
                [
                    "class": "title", "x": n(layout.width / 2), "y": "24", "text-anchor": "middle",
                    "font-size": "16", "font-weight": "600",
                ], text: chart.title)
        }
        axes(chart, layout, &out)
        switch chart.kind {
        case .bars: bars(chart, layout, &out)
        case .box: boxes(chart, layout, &out)
        case .line(let markers): lines(chart, layout, markers: markers, &out)
        }
        legend(chart, layout, &out)
        return out.finish()
    }

    // MARK: Axes

    static func axes(_ chart: Chart, _ l: Layout, _ out: inout SVGWriter) {
        out.begin("g", ["class": "grid", "stroke": "#e3e3e3", "stroke-width": "1"])
        for tick in l.yAxis.ticks {
            let y = l.y(tick)
            out.element("line", ["x1": n(l.plot.minX), "x2": n(l.plot.maxX), "y1": n(y), "y2": n(y)])
        }
        out.end("g")
        out.begin("g", ["class": "axis y", "font-size": n(tickFontSize), "fill": "#333333", "text-anchor": "end"])
        for tick in l.yAxis.ticks {
            out.open(
                "text", ["class": "tick", "x": n(l.plot.minX - 6), "y": n(l.y(tick) + 4)], text: l.yAxis.label(tick))
        }
        out.end("g")
        out.element(
            "line",
            [
                "class": "axis-line", "x1": n(l.plot.minX), "x2": n(l.plot.maxX), "y1": n(l.plot.maxY),
                "y2": n(l.plot.maxY), "stroke": "#333333",
            ])
        out.element(
            "line",
            [
                "class": "axis-line", "x1": n(l.plot.minX), "x2": n(l.plot.minX), "y1": n(l.plot.minY),
                "y2": n(l.plot.maxY), "stroke": "#333333",
            ])
        out.begin("g", ["class": "axis x", "font-size": n(tickFontSize), "fill": "#333333"])
        if let xAxis = l.xAxis {
            for tick in xAxis.ticks {
                out.open(
                    "text", ["class": "tick", "x": n(l.x(tick)), "y": n(l.plot.maxY + 18), "text-anchor": "middle"],
                    text: xAxis.label(tick))
            }
        } else {
            for (i, name) in chart.categories.enumerated() {
                let x = l.slotCentre(i)
                let y = l.plot.maxY + 18
                if l.rotateCategories {
                    out.open(
                        "text",
                        [
                            "class": "category", "x": n(x), "y": n(y), "text-anchor": "end",
                            "transform": "rotate(\(n(rotation)) \(n(x)) \(n(y - 4)))",
                        ], text: name)
                } else {
                    out.open("text", ["class": "category", "x": n(x), "y": n(y), "text-anchor": "middle"], text: name)
                }
            }
        }
        out.end("g")
        if !chart.xLabel.isEmpty {
            out.open(
                "text",
                [
                    "class": "x-label", "x": n((l.plot.minX + l.plot.maxX) / 2), "y": n(l.height - 10),
                    "text-anchor": "middle", "font-size": n(fontSize),
                ], text: chart.xLabel)
        }
        if !chart.yLabel.isEmpty {
            let (x, y) = (16.0, (l.plot.minY + l.plot.maxY) / 2)
            out.open(
                "text",
                [
                    "class": "y-label", "x": n(x), "y": n(y), "text-anchor": "middle", "font-size": n(fontSize),
                    "transform": "rotate(-90 \(n(x)) \(n(y)))",
                ], text: chart.yLabel)
        }
    }

    // MARK: Marks

    static func bars(_ chart: Chart, _ l: Layout, _ out: inout SVGWriter) {
        let groupWidth = l.slotWidth * 0.75
        let barWidth = groupWidth / Double(max(chart.series.count, 1))
        let base = l.y(min(max(0, l.yAxis.domain.lowerBound), l.yAxis.domain.upperBound))
        for (s, series) in chart.series.enumerated() {
            out.begin("g", ["class": "series", "data-name": series.name, "fill": palette[s % palette.count]])
            for (c, value) in series.y.enumerated() where c < chart.categories.count && value.isFinite {
                let x = l.slotCentre(c) - groupWidth / 2 + Double(s) * barWidth
                let top = l.y(value)
                out.open(
                    "rect",
                    [
                        "class": "bar", "x": n(x), "y": n(min(top, base)), "width": n(barWidth * 0.92),
                        "height": n(abs(base - top)),
                    ],
                    child: (
                        "title",
                        "\(chart.categories[c])\(chart.series.count > 1 ? " · " + series.name : ""): \(TextChart.number(value))"
                    ))
            }
            out.end("g")
        }
    }

    static func boxes(_ chart: Chart, _ l: Layout, _ out: inout SVGWriter) {
        let boxWidth = min(l.slotWidth * 0.45, 90)
        for (i, box) in chart.boxes.enumerated() where box.count > 0 {
            let centre = l.slotCentre(i)
            let colour = palette[i % palette.count]
            let name = i < chart.categories.count ? chart.categories[i] : ""
            out.begin("g", ["class": "box", "data-name": name])
            out.element(
                "line",
                [
                    "class": "whisker", "x1": n(centre), "x2": n(centre), "y1": n(l.y(box.lowerWhisker)),
                    "y2": n(l.y(box.q1)), "stroke": "#333333",
                ])
            out.element(
                "line",
                [
                    "class": "whisker", "x1": n(centre), "x2": n(centre), "y1": n(l.y(box.q3)),
                    "y2": n(l.y(box.upperWhisker)), "stroke": "#333333",
                ])
            for end in [box.lowerWhisker, box.upperWhisker] {
                out.element(
                    "line",
                    [
                        "class": "whisker-cap", "x1": n(centre - boxWidth / 4), "x2": n(centre + boxWidth / 4),
                        "y1": n(l.y(end)), "y2": n(l.y(end)), "stroke": "#333333",
                    ])
            }
            let summary =
                "\(name): n \(box.count) · q1 \(TextChart.number(box.q1)) · median \(TextChart.number(box.median))"
                + " · q3 \(TextChart.number(box.q3))"
            out.open(
                "rect",
                [
                    "class": "quartiles", "x": n(centre - boxWidth / 2), "y": n(l.y(box.q3)), "width": n(boxWidth),
                    "height": n(max(l.y(box.q1) - l.y(box.q3), 0.5)), "fill": colour, "fill-opacity": "0.35",
                    "stroke": colour, "stroke-width": "1.5",
                ], child: ("title", summary))
            out.element(
                "line",
                [
                    "class": "median", "x1": n(centre - boxWidth / 2), "x2": n(centre + boxWidth / 2),
                    "y1": n(l.y(box.median)), "y2": n(l.y(box.median)), "stroke": "#222222", "stroke-width": "2",
                ])
            for outlier in box.outliers {
                out.element(
                    "circle",
                    [
                        "class": "outlier", "cx": n(centre), "cy": n(l.y(outlier)), "r": "3", "fill": "none",
                        "stroke": colour,
                    ])
            }
            out.end("g")
        }
    }

    static func lines(_ chart: Chart, _ l: Layout, markers: Bool, _ out: inout SVGWriter) {
        for (s, series) in chart.series.enumerated() {
            let colour = palette[s % palette.count]
            let points = zip(series.x, series.y).filter { $0.0.isFinite && $0.1.isFinite }
            let xy = points.map { (l.chart.isCategoricalLine ? l.slotCentre(Int($0.0)) : l.x($0.0), l.y($0.1)) }
            out.begin("g", ["class": "series", "data-name": series.name])
            if let band = series.band {
                let inside = (0..<series.x.count).filter {
                    series.x[$0].isFinite && band.low[$0].isFinite && band.high[$0].isFinite
                }
                let x = { (i: Int) in l.chart.isCategoricalLine ? l.slotCentre(Int(series.x[i])) : l.x(series.x[i]) }
                let outline =
                    inside.map { (x($0), l.y(band.high[$0])) } + inside.reversed().map { (x($0), l.y(band.low[$0])) }
                out.element(
                    "polygon",
                    [
                        "class": "band", "fill": colour, "fill-opacity": "0.18", "stroke": "none",
                        "points": outline.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " "),
                    ])
            }
            out.element(
                "polyline",
                [
                    "class": "line", "fill": "none", "stroke": colour, "stroke-width": "2",
                    "stroke-linejoin": "round",
                    "points": envelope(xy).map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " "),
                ])
            if markers {
                for (point, (x, y)) in zip(points, xy) {
                    out.open(
                        "circle", ["class": "marker", "cx": n(x), "cy": n(y), "r": "4", "fill": colour],
                        child: ("title", TextChart.number(point.1)))
                }
            }
            out.end("g")
        }
        guard let xAxis = l.xAxis, !chart.marks.isEmpty else { return }
        out.begin("g", ["class": "marks", "stroke": "#888888", "font-size": n(tickFontSize - 2), "fill": "#555555"])
        for mark in chart.marks where mark.x >= xAxis.domain.lowerBound && mark.x <= xAxis.domain.upperBound {
            let x = l.x(mark.x)
            out.element(
                "line",
                [
                    "class": "mark", "x1": n(x), "x2": n(x), "y1": n(l.plot.minY), "y2": n(l.plot.maxY),
                    "stroke-dasharray": "4 3",
                ])
            out.open(
                "text", ["class": "mark-label", "x": n(x + 3), "y": n(l.plot.minY + 10), "stroke": "none"],
                text: mark.label)
        }
        out.end("g")
    }

    /// A long line reduced to what a screen can show: per whole pixel of x, the first, lowest, highest and last
    /// point (in order), so spikes survive and a 100,000-step curve stays a few kilobytes.
    static func envelope(_ xy: [(Double, Double)]) -> [(Double, Double)] {
        guard xy.count > 2000 else { return xy }
        var out: [(Double, Double)] = []
        var bucket: [(Double, Double)] = []
        func flush() {
            guard let first = bucket.first, let last = bucket.last else { return }
            var keep = [first]
            if let low = bucket.max(by: { $0.1 < $1.1 }) { keep.append(low) }  // largest y: lowest on screen
            if let high = bucket.min(by: { $0.1 < $1.1 }) { keep.append(high) }
            keep.append(last)
            for point in keep where out.last.map({ $0 != point }) ?? true { out.append(point) }
            bucket = []
        }
        for point in xy {
            if let first = bucket.first, first.0.rounded(.down) != point.0.rounded(.down) { flush() }
            bucket.append(point)
        }
        flush()
        return out
    }

    static func legend(_ chart: Chart, _ l: Layout, _ out: inout SVGWriter) {
        guard chart.series.count > 1 else { return }
        out.begin("g", ["class": "legend", "font-size": n(tickFontSize), "fill": "#333333"])
        var x = l.plot.minX
        for (s, series) in chart.series.enumerated() {
            out.element(
                "rect",
                [
                    "x": n(x), "y": n(l.legendY - 9), "width": "12", "height": "12",
                    "fill": palette[s % palette.count],
                ])
            out.open("text", ["x": n(x + 17), "y": n(l.legendY + 2)], text: series.name)
            x += 17 + Double(series.name.count) * tickFontSize * characterWidth + 18
        }
        out.end("g")
    }

    /// Coordinates as SVG wants them: at most two decimals, no trailing zeros.
    static func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        // The same text as "%.2f" without Foundation's formatter (a chart of 20,000 points writes 40,000 of them):
        // rounding value·100 to an integer agrees with %.2f's correctly rounded decimal unless value·100 lies within
        // a hair of a half, where the exact formatter decides.
        let scaled = value * 100
        let fraction = scaled - scaled.rounded(.down)
        if abs(scaled) < 1e12 && abs(fraction - 0.5) > 1e-6 {
            let hundredths = Int(scaled.rounded())
            if hundredths == 0 { return "0" }
            let whole = abs(hundredths) / 100, rest = abs(hundredths) % 100
            var text = (hundredths < 0 ? "-" : "") + String(whole)
            if rest != 0 {
                text += rest % 10 == 0 ? "." + String(rest / 10) : (rest < 10 ? ".0" : ".") + String(rest)
            }
            return text
        }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}
