import Foundation
import Store
import Testing

@testable import Language
@testable import Notebook

/// The `plot.*` built-ins: text in the cell's output, SVG artifacts in the cell's commit, located argument errors.
@Suite struct PlotBuiltinTests {
    final class Session {
        let folder: URL
        let store: LabStore
        let runner: NotebookRunner
        var output: [String] = []

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("PlotTests-\(UUID().uuidString)")
            store = try LabStore(path: folder.appendingPathComponent("lab.sqlite").path)
            var sink: (String) -> Void = { _ in }
            runner = try NotebookRunner(store: store, notebook: nil, source: "", output: { sink($0) })
            sink = { [unowned self] in self.output.append($0) }
        }

        func run(_ source: String) -> CellOutcome {
            runner.execute(source: source, key: "c", title: "c")
        }

        deinit { try? FileManager.default.removeItem(at: folder) }
    }

    @Test func barChartPrintsTextAndStoresItsSVGWithTheCommit() throws {
        let s = try Session()
        let outcome = s.run(
            """
            plot.bar(["Bias in Feedback", "Overfitting"], [0.8, 0.7], title: "Slide 8: Challenges", ylim: [0, 1])
            """)
        guard case .committed(let summary, _) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(s.output.first == "Slide 8: Challenges")
        #expect(s.output.contains { $0.hasPrefix("Bias in Feedback │") && $0.hasSuffix(" 0.8") })
        let artifacts = try s.store.artifacts(run: s.runner.runID)
        #expect(artifacts.count == 1)
        let chart = try #require(artifacts.first)
        #expect(chart.name == "slide-8-challenges.svg")
        #expect(chart.mediaType == "image/svg+xml")
        #expect(chart.commit == summary.commit)
        #expect(chart.cell == 1)
        let svg = String(decoding: chart.data, as: UTF8.self)
        #expect(svg.contains("<svg") && svg.contains("Slide 8: Challenges"))
        #expect(svg.components(separatedBy: "class=\"bar\"").count - 1 == 2)
    }

    @Test func namesAreUniqueWithinACellAndEqualChartsShareOneBlob() throws {
        let s = try Session()
        _ = s.run(
            """
            plot([1, 2, 3])
            plot([1, 2, 3])
            plot.box({original: [1, 2, 3, 4, 30], aligned: [3, 4, 5]}, name: "slide 11")
            """)
        let names = try s.store.artifacts(run: s.runner.runID).map(\.name)
        #expect(names == ["chart.svg", "chart-2.svg", "slide-11.svg"])
        let blobs = try s.store.query("SELECT count(DISTINCT blob_hash) FROM artifacts").rows.first?.first
        #expect(blobs == .integer(2))
    }

    @Test func metricChartReadsCommittedPointsAndThisCellsPointsAndMarksWhereEachCellBegins() throws {
        let s = try Session()
        _ = s.runner.execute(source: "for i in range(3) { log_metric(\"m\", i * 2) }", key: "a", title: "a")
        _ = s.runner.execute(source: "log_metric(\"m\", 7)\nlog_metric(\"m\", 8)", key: "b", title: "b")
        guard case .committed = s.run("log_metric(\"m\", 10)\nplot.metric(\"m\", name: \"m\")") else {
            Issue.record("plot.metric failed: \(s.output)")
            return
        }
        let svg = String(decoding: try #require(try s.store.artifacts(run: s.runner.runID).first).data, as: UTF8.self)
        // Six points: steps 0–2 from cell a, 3–4 from cell b, step 5 from this cell.
        let points = try #require(svg.components(separatedBy: "points=\"").dropFirst().first?.prefix { $0 != "\"" })
        #expect(points.split(separator: " ").count == 6)
        // Cell b begins at step 3 and this cell at step 5: one dashed line each, labelled, in the SVG and the text.
        #expect(svg.components(separatedBy: "class=\"mark\"").count == 3)
        #expect(svg.contains(">b</text>") && svg.contains(">this cell</text>"))
        #expect(s.output.contains("┊ 3 b · 5 this cell"), "\(s.output)")
    }

    /// With `x:` each point is drawn at the other metric's value at its step; steps the other metric lacks are left
    /// out, and no cell marks are drawn (the x axis is not steps).
    @Test func aMetricAgainstAnotherMetric() throws {
        let s = try Session()
        _ = s.runner.execute(
            source: "for i in range(4) { log_metric(\"gold\", i * 10) }\n"
                + "for i in range(3) { log_metric(\"kl\", i * i) }",
            key: "a", title: "a")
        guard case .committed = s.run("plot.metric(\"gold\", x: \"kl\", name: \"g\")") else {
            Issue.record("plot.metric failed: \(s.output)")
            return
        }
        let svg = String(decoding: try #require(try s.store.artifacts(run: s.runner.runID).first).data, as: UTF8.self)
        // Steps 0–2 have both metrics (kl 0, 1, 4; gold 0, 10, 20); gold's step 3 has no kl and is left out.
        let points = try #require(svg.components(separatedBy: "points=\"").dropFirst().first?.prefix { $0 != "\"" })
        #expect(points.split(separator: " ").count == 3)
        #expect(!svg.contains("class=\"mark\""))
        #expect(svg.contains(">kl</text>"), "the x axis is labelled with the metric's name")
    }

    @Test(arguments: [
        ("plot.metric(\"m\", x: \"nope\")", "argument 'x' names a metric with no points in this run: 'nope'"),
        ("plot.bar([\"a\", \"b\"], [1])", "argument 'values' has 1 values for 2 labels"),
        (
            "plot.bars([\"a\"], series: {before: [1], after: [\"x\"]})",
            "argument 'series' must hold numbers in 'after'; element 0 is string"
        ),
        ("plot.metric(\"nope\")", "names a metric with no points in this run: 'nope'"),
        ("plot([1, 2], ylim: [1, 0])", "argument 'ylim' must be [low, high] with low < high"),
        ("plot.lines([1])", "value of type function has no member 'lines'; did you mean 'line'?"),
    ])
    func badArgumentsFailTheCellAndStoreNothing(source: String, message: String) throws {
        let s = try Session()
        guard case .failed(let error) = s.run(source) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.contains(message), "\(error)")
        #expect(try s.store.artifacts(run: s.runner.runID).isEmpty)
    }

    @Test(arguments: [
        ("Slide 8: Challenges in RLHF", "slide-8-challenges-in-rlhf"), ("", "chart"), ("Ünïcode → ok", "n-code-ok"),
    ])
    func slugs(title: String, expected: String) {
        #expect(LabBuiltins.slug(title) == expected)
    }
}
