/// A chart described by its data, independent of how it is drawn: `TextChart` renders it for a terminal,
/// `SVGChart` as a standalone SVG document.
///
/// ```swift
/// let chart = Chart.bars(title: "Challenges", categories: ["Bias", "Nuance"], series: [Series("difficulty", [0.8, 0.9])],
///                        yLabel: "Difficulty (0–1)", yRange: 0...1)
/// print(TextChart.render(chart, width: 80))
/// let svg = SVGChart.render(chart)
/// ```
public struct Chart: Sendable, Equatable {
    /// What is drawn.
    public enum Kind: Sendable, Equatable {
        /// One or more series as lines over x (numeric x, or the category positions 0, 1, … when `categories` is set).
        case line(markers: Bool)
        /// One bar per category and series: a single series is a bar chart, several are grouped bars.
        case bars
        /// One box per group: quartiles, whiskers at 1.5 IQR, outliers.
        case box
    }

    public var kind: Kind
    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// Category names along x (bars, boxes, categorical lines); empty for numeric x.
    public var categories: [String]
    /// Lines or bar series.
    public var series: [Series]
    /// Box plot groups, one per category.
    public var boxes: [BoxStatistics]
    /// A fixed y range (like matplotlib's `ylim`); nil to fit the data.
    public var yRange: ClosedRange<Double>?
    /// Vertical lines across a numeric line chart (matplotlib's `axvline`), e.g. where one cell's points end and
    /// the next cell's begin.
    public var marks: [Mark]

    public init(
        kind: Kind, title: String = "", xLabel: String = "", yLabel: String = "", categories: [String] = [],
        series: [Series] = [], boxes: [BoxStatistics] = [], yRange: ClosedRange<Double>? = nil, marks: [Mark] = []
    ) {
        self.marks = marks
        self.kind = kind
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.categories = categories
        self.series = series
        self.boxes = boxes
        self.yRange = yRange
    }

    /// Lines over numeric x (each series carries its own x), or over `categories` when given.
    public static func line(
        title: String = "", series: [Series], categories: [String] = [], xLabel: String = "",
        yLabel: String = "", markers: Bool = false, yRange: ClosedRange<Double>? = nil, marks: [Mark] = []
    ) -> Chart {
        Chart(
            kind: .line(markers: markers), title: title, xLabel: xLabel, yLabel: yLabel, categories: categories,
            series: series, yRange: yRange, marks: marks)
    }

    /// Bars, one group per category with one bar per series.
    public static func bars(
        title: String = "", categories: [String], series: [Series], xLabel: String = "",
        yLabel: String = "", yRange: ClosedRange<Double>? = nil
    ) -> Chart {
        Chart(
            kind: .bars, title: title, xLabel: xLabel, yLabel: yLabel, categories: categories, series: series,
            yRange: yRange)
    }

    /// Box plots of named samples, in the order given.
    public static func box(
        title: String = "", groups: [(name: String, values: [Double])], xLabel: String = "",
        yLabel: String = "", yRange: ClosedRange<Double>? = nil
    ) -> Chart {
        Chart(
            kind: .box, title: title, xLabel: xLabel, yLabel: yLabel, categories: groups.map(\.name),
            boxes: groups.map { BoxStatistics($0.values) }, yRange: yRange)
    }

    /// Smallest and largest y the chart must show (bars always include 0); nil when there is nothing finite.
    var dataExtent: (min: Double, max: Double)? {
        var values: [Double]
        switch kind {
        case .line: values = series.flatMap { $0.y + ($0.band?.low ?? []) + ($0.band?.high ?? []) }
        case .bars: values = series.flatMap(\.y) + [0]
        case .box: values = boxes.flatMap { [$0.lowerWhisker, $0.upperWhisker] + $0.outliers }
        }
        values = values.filter(\.isFinite)
        guard let lo = values.min(), let hi = values.max() else { return nil }
        return (lo, hi)
    }

    /// The y axis: the fixed range when given, otherwise nice ticks around the data.
    func yAxis(ticks: Int = 5) -> Axis {
        if let yRange { return Axis(fixed: yRange, ticks: ticks) }
        let extent = dataExtent ?? (0, 1)
        return Axis(covering: extent.min, extent.max, ticks: ticks)
    }

    /// Smallest and largest numeric x of line series.
    var xExtent: (min: Double, max: Double) {
        if case .line = kind, categories.isEmpty {
            let xs = series.flatMap(\.x).filter(\.isFinite)
            return (xs.min() ?? 0, xs.max() ?? 1)
        }
        return (0, Double(max(categories.count - 1, 1)))
    }

    var isCategoricalLine: Bool {
        if case .line = kind { return !categories.isEmpty }
        return false
    }
}

/// A vertical line at `x` with a short label (drawn at the top of an SVG chart; text charts draw the line only).
public struct Mark: Sendable, Equatable {
    public var x: Double
    public var label: String

    public init(x: Double, label: String) {
        self.x = x
        self.label = label
    }
}

/// A named series of points (lines) or values (bars; `x` is then 0, 1, …).
public struct Series: Sendable, Equatable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    /// An interval around each point of a line (a confidence band: `low[i] ≤ y[i] ≤ high[i]`), shaded between its
    /// bounds; nil for none.
    public var band: (low: [Double], high: [Double])?

    public static func == (a: Series, b: Series) -> Bool {
        a.name == b.name && a.x == b.x && a.y == b.y && a.band?.low == b.band?.low && a.band?.high == b.band?.high
    }

    /// A line of (x, y) points with an interval [low, high] around each (lists cut to the shortest).
    public init(_ name: String, x: [Double], y: [Double], low: [Double], high: [Double]) {
        let n = min(x.count, y.count, low.count, high.count)
        self.init(name, x: Array(x.prefix(n)), y: Array(y.prefix(n)))
        band = (Array(low.prefix(n)), Array(high.prefix(n)))
    }

    /// A series of values at x = 0, 1, 2, …
    public init(_ name: String, _ y: [Double]) {
        self.name = name
        self.x = y.indices.map(Double.init)
        self.y = y
    }

    /// A series of (x, y) points; extra values of the longer list are ignored.
    public init(_ name: String, x: [Double], y: [Double]) {
        let n = min(x.count, y.count)
        self.name = name
        self.x = Array(x.prefix(n))
        self.y = Array(y.prefix(n))
    }
}
