import Foundation
import Testing

@testable import Charts

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses SVG text with Foundation's XML parser and keeps every element with its attributes and text, in order.
final class SVGTree: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
        var depth: Int
    }
    var elements: [Element] = []
    private var stack: [Int] = []

    init?(_ svg: String) {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        guard parser.parse() else { return nil }
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append(Element(name: name, attributes: attributes, depth: stack.count))
        stack.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let top = stack.last { elements[top].text += string }
    }

    func all(_ name: String, class cls: String? = nil) -> [Element] {
        elements.filter {
            $0.name == name
                && (cls == nil || ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(cls!)))
        }
    }
}

@Suite struct SVGChartTests {
    /// Escaping looks at bytes: a quote with a combining mark after it (one `Character`, not `"`) is still escaped,
    /// since a browser ends an attribute at the quote whatever follows.
    @Test(arguments: [
        ("plain text", "plain text"), ("", ""), ("a<b>&c\"d", "a&lt;b&gt;&amp;c&quot;d"),
        ("héllo · 日本 🙂", "héllo · 日本 🙂"), ("x\"\u{301} onmouseover=alert(1)", "x&quot;\u{301} onmouseover=alert(1)"),
        ("<\u{338}script>", "&lt;\u{338}script&gt;"), ("&amp;", "&amp;amp;"),
    ])
    func escapingLooksAtBytes(text: String, escaped: String) {
        #expect(Array(xmlEscaped(text).utf8) == Array(escaped.utf8))
    }

    static let directions = Chart.bars(
        title: "Future Directions for RLHF",
        categories: [
            "Advanced Reward Modeling", "Long-term Impact Assessment", "Multi-modal RLHF",
            "Scalable Feedback Collection", "Combining with Other Alignment Methods",
        ],
        series: [Series("potential impact", [0.85, 0.9, 0.8, 0.75, 0.95])],
        xLabel: "Research Direction", yLabel: "Potential Impact (0-1 scale)", yRange: 0...1)

    @Test func barChartIsWellFormedWithTitleLabelsTicksAndOneBarPerValue() throws {
        let tree = try #require(SVGTree(SVGChart.render(SVGChartTests.directions)))
        let root = try #require(tree.elements.first)
        #expect(root.name == "svg")
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(tree.all("text", class: "title").map(\.text) == ["Future Directions for RLHF"])
        #expect(tree.all("text", class: "x-label").map(\.text) == ["Research Direction"])
        let yLabel = try #require(tree.all("text", class: "y-label").first)
        #expect(yLabel.attributes["transform"]?.hasPrefix("rotate(-90") == true)
        #expect(tree.all("text", class: "tick").map(\.text) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let bars = tree.all("rect", class: "bar")
        #expect(bars.count == 5)
        // Heights are proportional to the values: 0.9 / 0.75 of the plot height.
        let heights = bars.compactMap { Double($0.attributes["height"] ?? "") }
        #expect(abs(heights[1] / heights[3] - 0.9 / 0.75) < 0.01)
        // Long names in narrow slots are rotated.
        let categories = tree.all("text", class: "category")
        #expect(categories.count == 5)
        #expect(categories.allSatisfy { $0.attributes["transform"]?.hasPrefix("rotate(-40") == true })
        #expect(tree.all("g", class: "legend").isEmpty)
    }

    @Test func shortCategoriesStayHorizontal() throws {
        let chart = Chart.bars(categories: ["a", "b", "c"], series: [Series("v", [1, 2, 3])])
        let tree = try #require(SVGTree(SVGChart.render(chart)))
        #expect(tree.all("text", class: "category").allSatisfy { $0.attributes["transform"] == nil })
    }

    @Test func groupedBarsHaveALegendAndOneSeriesGroupEach() throws {
        let chart = Chart.bars(
            title: "Before & after", categories: ["Hate <speech>", "Spam"],
            series: [Series("Initial Model", [0.7, 0.8]), Series("After RLHF", [0.85, 0.9])])
        let svg = SVGChart.render(chart)
        let tree = try #require(SVGTree(svg))
        #expect(tree.all("text", class: "title").first?.text == "Before & after")
        #expect(tree.all("text", class: "category").map(\.text) == ["Hate <speech>", "Spam"])
        let groups = tree.all("g", class: "series")
        #expect(groups.map { $0.attributes["data-name"] } == ["Initial Model", "After RLHF"])
        #expect(groups[0].attributes["fill"] != groups[1].attributes["fill"])
        #expect(tree.all("rect", class: "bar").count == 4)
        let legend = try #require(tree.elements.firstIndex { $0.name == "g" && $0.attributes["class"] == "legend" })
        let legendTexts = tree.elements[legend...].filter { $0.name == "text" }.prefix(2).map(\.text)
        #expect(legendTexts == ["Initial Model", "After RLHF"])
    }

    @Test func boxPlotDrawsQuartilesMedianWhiskersAndOutliers() throws {
        let chart = Chart.box(
            title: "gold reward", groups: [("original", [-2, 1, 2, 2, 3, 4, 4, 7, 7.5]), ("aligned", [5, 6, 7])])
        let tree = try #require(SVGTree(SVGChart.render(chart)))
        #expect(tree.all("g", class: "box").count == 2)
        #expect(tree.all("rect", class: "quartiles").count == 2)
        #expect(tree.all("line", class: "median").count == 2)
        #expect(tree.all("line", class: "whisker").count == 4)
        #expect(tree.all("circle", class: "outlier").count == 2)
        // The first box spans q1 = 2 … q3 = 4 on a −2 … 8 axis: its height is 2/10 of the plot height.
        let ticks = tree.all("text", class: "tick").compactMap { Double($0.text) }
        #expect(ticks.first == -2 && ticks.last == 8)
        let box = try #require(tree.all("rect", class: "quartiles").first)
        let gridLines = tree.elements.filter {
            $0.name == "line" && $0.attributes["x1"] != nil && $0.attributes["y1"] == $0.attributes["y2"]
        }
        let ys = gridLines.prefix(ticks.count).compactMap { Double($0.attributes["y1"] ?? "") }
        let plotHeight = try #require(ys.first) - (try #require(ys.last))
        #expect(abs(try #require(Double(box.attributes["height"] ?? "")) - plotHeight * 0.2) < 0.05)
    }

    @Test func lineChartHasOnePolylinePerSeriesAndMarkersWhenAsked() throws {
        let chart = Chart.line(
            title: "metrics",
            series: [
                Series("loss", x: [0, 1, 2, 3], y: [0.7, 0.4, 0.3, 0.25]),
                Series("acc", x: [0, 1, 2, 3], y: [0.5, 0.8, 0.9, 0.95]),
            ],
            xLabel: "step", markers: true)
        let tree = try #require(SVGTree(SVGChart.render(chart)))
        let lines = tree.all("polyline", class: "line")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { ($0.attributes["points"] ?? "").split(separator: " ").count == 4 })
        #expect(tree.all("circle", class: "marker").count == 8)
        #expect(tree.all("g", class: "legend").count == 1)
        #expect(
            tree.all("text", class: "tick").map(\.text).contains("3.0")
                || tree.all("text", class: "tick").map(\.text).contains("3"))
    }

    @Test func longLinesKeepTheirExtremesInAFewPointsPerPixel() throws {
        // 100,000 points of a slow wave with one spike: the polyline keeps the spike and at most 4 points per pixel.
        var y = (0..<100_000).map { sin(Double($0) / 5000) }
        y[54_321] = 10
        let chart = Chart.line(series: [Series("long", y)])
        let tree = try #require(SVGTree(SVGChart.render(chart, width: 600)))
        let points = try #require(tree.all("polyline", class: "line").first?.attributes["points"]).split(separator: " ")
        #expect(points.count <= 4 * 600)
        let ys = points.compactMap { $0.split(separator: ",").last.flatMap { Double($0) } }
        let top = try #require(ys.min())
        let tick10 = try #require(tree.all("text", class: "tick").first { $0.text == "10" })
        #expect(abs(top - (try #require(Double(tick10.attributes["y"] ?? ""))) + 4) < 0.5)
    }

    @Test func sameChartSameBytes() {
        #expect(SVGChart.render(SVGChartTests.directions) == SVGChart.render(SVGChartTests.directions))
    }

    @Test func emptyAndNonFiniteDataStillGiveValidSVG() throws {
        let charts = [
            Chart.line(series: []), Chart.bars(categories: [], series: []), Chart.box(groups: [("none", [])]),
            Chart.line(series: [Series("nan", [.nan, .infinity, 1])]),
        ]
        for chart in charts {
            #expect(SVGTree(SVGChart.render(chart)) != nil)
        }
    }
}
