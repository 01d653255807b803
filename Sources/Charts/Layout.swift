import Foundation

/// Where an SVG chart's parts go: margins sized to the labels, the plot rectangle, and the data-to-pixel maps.
struct Layout {
    struct Rect {
        var minX, minY, maxX, maxY: Double
    }

    let chart: Chart
    var width: Double
    var height: Double
    let yAxis: Axis
    /// The numeric x axis of a line chart; nil when x is categories.
    let xAxis: Axis?
    var plot = Rect(minX: 0, minY: 0, maxX: 0, maxY: 0)
    var rotateCategories = false
    var legendY = 0.0

    init(chart: Chart, width: Double, height: Double) {
        self.chart = chart
        self.width = width
        self.height = height
        yAxis = chart.yAxis(ticks: 6)
        if case .line = chart.kind, chart.categories.isEmpty {
            let extent = chart.xExtent
            xAxis = Axis(covering: extent.min, extent.max, ticks: 7)
        } else {
            xAxis = nil
        }
    }

    static func textWidth(_ text: String, size: Double) -> Double {
        Double(text.count) * size * SVGChart.characterWidth
    }

    mutating func compute() {
        var top = chart.title.isEmpty ? 16.0 : 44.0
        if chart.series.count > 1 {
            legendY = top
            top += 22
        }
        let tickWidth = yAxis.ticks.map { Layout.textWidth(yAxis.label($0), size: SVGChart.tickFontSize) }.max() ?? 0
        var left = (chart.yLabel.isEmpty ? 12.0 : 34.0) + tickWidth + 8
        let right = 24.0
        let plotWidth = width - left - right
        var bottom = 30.0
        if xAxis == nil, !chart.categories.isEmpty {
            let slot = plotWidth / Double(chart.categories.count)
            let widest = chart.categories.map { Layout.textWidth($0, size: SVGChart.tickFontSize) }.max() ?? 0
            rotateCategories = widest > slot - 6
            if rotateCategories {
                let angle = abs(SVGChart.rotation) * Double.pi / 180
                bottom = 24 + widest * sin(angle) + SVGChart.tickFontSize
                // Rotated labels hang down to the left of their category; keep the first one inside the image.
                let first = Layout.textWidth(chart.categories[0], size: SVGChart.tickFontSize) * cos(angle) + 6
                if first > left + slot / 2 {
                    let n = Double(chart.categories.count)
                    left = (first - (width - right) / (2 * n)) / (1 - 1 / (2 * n))
                }
            }
        }
        if !chart.xLabel.isEmpty { bottom += 24 }
        let minimumPlotHeight = 220.0
        if height - top - bottom < minimumPlotHeight { height = top + bottom + minimumPlotHeight }
        plot = Rect(minX: left, minY: top, maxX: width - right, maxY: height - bottom)
    }

    var slotWidth: Double { (plot.maxX - plot.minX) / Double(max(chart.categories.count, 1)) }

    func slotCentre(_ i: Int) -> Double { plot.minX + (Double(i) + 0.5) * slotWidth }

    func y(_ value: Double) -> Double {
        let f = yAxis.fraction(value).isNaN ? 0 : min(max(yAxis.fraction(value), -0.02), 1.02)
        return plot.maxY - f * (plot.maxY - plot.minY)
    }

    func x(_ value: Double) -> Double {
        guard let xAxis else { return plot.minX }
        return plot.minX + Axis.clamped(xAxis.fraction(value)) * (plot.maxX - plot.minX)
    }
}
