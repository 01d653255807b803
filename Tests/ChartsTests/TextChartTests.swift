import Testing

@testable import Charts

@Suite struct TextChartTests {
    static let challenges = Chart.bars(
        title: "Challenges in RLHF", categories: ["Bias in Feedback", "Capturing Nuance", "Overfitting"],
        series: [Series("difficulty", [0.8, 0.9, 0.7])], yLabel: "Difficulty", yRange: 0...1)

    @Test(arguments: [40, 60, 80, 120])
    func everyLineFitsTheWidth(width: Int) {
        let charts = [
            TextChartTests.challenges,
            Chart.line(title: "loss", series: [Series("rm.loss", (0..<100).map { 1 / Double($0 + 1) })]),
            Chart.line(
                series: [Series("a", [1, 2, 3]), Series("b", [3, 2, 1])], categories: ["x", "y", "z"], markers: true),
            Chart.box(groups: [("original", [1, 2, 3, 4, 10]), ("aligned", [3, 4, 5, 6])]),
        ]
        for chart in charts {
            for line in TextChart.render(chart, width: width).split(separator: "\n") {
                #expect(line.count <= width, "\(line)")
            }
        }
    }

    @Test func barLengthsAreProportionalToValues() {
        let text = TextChart.render(TextChartTests.challenges, width: 60)
        let rows = text.split(separator: "\n").filter { $0.contains("│") && $0.contains("0.") }
        #expect(rows.count == 3)
        // Bar width is 60 − 16 (labels) − 4 (values) − 2 = 38 columns; 0.8 of it is 30.4 columns = 243 eighths.
        func cells(_ row: Substring) -> Double {
            let bar = row.drop { $0 != "│" }.dropFirst()
            var eighths = 0
            for ch in bar {
                if ch == "█" {
                    eighths += 8
                } else if let i = TextChart.partialBlocks.firstIndex(of: ch), i > 0 {
                    eighths += i
                }
            }
            return Double(eighths) / 8
        }
        #expect(abs(cells(rows[0]) - 0.8 * 38) <= 0.125)
        #expect(abs(cells(rows[1]) - 0.9 * 38) <= 0.125)
        #expect(abs(cells(rows[2]) - 0.7 * 38) <= 0.125)
        #expect(text.hasPrefix("Challenges in RLHF\n"))
        #expect(!text.contains("\u{1B}"))
    }

    @Test func groupedBarsGetALegendAndDistinctFills() {
        let chart = Chart.bars(
            categories: ["Spam", "Violence"], series: [Series("before", [0.8, 0.65]), Series("after", [0.9, 0.8])])
        let text = TextChart.render(chart, width: 60)
        #expect(text.contains("█ before"))
        #expect(text.contains("▒ after"))
        #expect(text.contains("Spam") && text.contains("Violence"))
    }

    @Test func colourOnlyWhenAsked() {
        let chart = Chart.line(series: [Series("a", [1, 2]), Series("b", [2, 1])])
        #expect(TextChart.render(chart, width: 50, color: true).contains("\u{1B}["))
        #expect(!TextChart.render(chart, width: 50, color: false).contains("\u{1B}["))
    }

    @Test func boxPlotPlacesQuartilesOnTheSharedAxis() {
        let chart = Chart.box(groups: [("a", [0, 10, 20, 30, 40]), ("b", [60, 70, 80, 90, 100])])
        let lines = TextChart.render(chart, width: 62).split(separator: "\n")
        let a = Array(lines[0])
        let b = Array(lines[1])
        // Axis 0…100 over 59 columns after the label gutter ("a │"); column = round(f × 58).
        func column(_ row: [Character], _ glyph: Character) -> Int? { row.firstIndex(of: glyph).map { $0 - 3 } }
        #expect(column(a, "├") == 0)
        #expect(column(a, "┃") == 12)  // median 20 → 0.2 × 59 = 11.8
        #expect(column(a, "┤") == 23)  // upper whisker 40 → 23.2
        #expect(column(b, "├") == 35)  // lower whisker 60
        #expect(column(b, "┃") == 46)  // median 80 → 46.4
        #expect(lines.contains { $0.contains("100") })
    }

    @Test func lineChartLabelsTicksAndCategories() {
        let chart = Chart.line(
            title: "RLHF process", series: [Series("quality", [60, 70, 80, 85, 90])],
            categories: ["Initial LM", "Feedback", "Policy", "Reward", "Aligned"], markers: true,
            yRange: 0...100)
        let text = TextChart.render(chart, width: 80)
        for tick in ["0", "20", "40", "60", "80", "100"] {
            #expect(
                text.split(separator: "\n").contains { $0.drop { $0 == " " }.hasPrefix(tick + " ┤") }, "tick \(tick)")
        }
        #expect(text.contains("Initial LM"))
        #expect(text.filter { $0 == "●" }.count >= 5)
    }
}

/// Confidence bands and vertical marks on line charts (`plot.sweep`, cell boundaries of `plot.metric`).
@Suite struct BandAndMarkTests {
    /// y = 0 with the band [−1, 1] on a fixed axis −2…2: 12 rows of 4 dots, dot y = (1 − (v + 2)/4)·47, so the band
    /// spans dots 11.75 (row 2) to 35.25 (row 8).
    static let banded = Chart.line(
        series: [Series("mean", x: [0, 1, 2], y: [0, 0, 0], low: [-1, -1, -1], high: [1, 1, 1])], yRange: -2...2,
        marks: [Mark(x: 1, label: "cell b")])

    @Test func theBandShadesOnlyTheRowsBetweenItsBoundsAndMarksDrawAColumn() {
        let lines = TextChart.render(Self.banded, width: 40).split(separator: "\n", omittingEmptySubsequences: false)
        let plotRows = Array(lines.prefix(12))
        let shaded = plotRows.indices.filter { plotRows[$0].contains("·") }
        // Rows 2 and 8 hold the band's edges; row 6 is the line itself (dot 23.5 rounds to 24), which the band never
        // paints over; rows outside 2…8 stay empty.
        #expect(shaded == [2, 3, 4, 5, 7, 8], "\(lines.joined(separator: "\n"))")
        #expect(plotRows.indices.filter { plotRows[$0].contains("┊") } == [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11])
        #expect(lines.contains("· 95% interval"))
        #expect(lines.contains("┊ 1 cell b"))
    }

    @Test func theSVGBandIsAPolygonAroundTheLineAndAMarkIsADashedLine() {
        let svg = SVGChart.render(Self.banded)
        let polygon = svg.components(separatedBy: "<polygon ").dropFirst().first ?? ""
        #expect(polygon.contains("class=\"band\""))
        let points = polygon.components(separatedBy: "points=\"").dropFirst().first?.prefix { $0 != "\"" } ?? ""
        #expect(points.split(separator: " ").count == 6)  // three highs, then three lows back
        #expect(svg.contains("class=\"mark\"") && svg.contains(">cell b</text>"))
        // The band widens the y extent the chart fits when no range is fixed.
        var free = Self.banded
        free.yRange = nil
        #expect(free.dataExtent.map { [$0.min, $0.max] } == [-1, 1])
    }
}
