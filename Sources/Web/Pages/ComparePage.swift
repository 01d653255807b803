import Charts
import Foundation
import Store

/// Runs or a sweep side by side: the comparison table (the parameters that differ, each metric's final value as mean
/// ± 95% interval), then for each chosen metric every run's series overlaid and, where a group has several seeds,
/// the group's mean curve with its interval band.
struct ComparePage {
    /// Points drawn per series at most when `runs` series share a chart: 1,000 for a few runs, fewer for many (8,000
    /// points a chart, 200 a series at least); a longer series is thinned evenly (its first and last points kept).
    static func pointsPerSeries(runs: Int) -> Int {
        min(RunReport.pointsPerCurve, max(200, 8_000 / max(1, runs)))
    }

    let report: SweepReport
    let metrics: [String]
    /// Each chosen metric's runs' series (thinned) and the groups' mean curves.
    let overlays: [(metric: String, runs: [Series], means: [Series], thinned: Bool)]
    /// Points drawn per series at most on this page.
    let limit: Int
    let query: String

    init(store: LabStore, selection: CompareSelection) throws {
        switch selection.target {
        case .sweep(let id): report = try SweepReport(store: store, sweep: id)
        case .runs(let ids): report = try SweepReport(store: store, runs: ids)
        }
        let comparison = report.comparison
        metrics = try selection.metricNames(of: comparison)
        var overlays: [(String, [Series], [Series], Bool)] = []
        // A legend is one line: runs are named with their point only while a few share a chart.
        let few = report.runs.count <= 3
        let labels = Dictionary(
            report.runs.map { ($0.run, $0.point.isEmpty || !few ? "run \($0.run)" : "run \($0.run) · \($0.point)") },
            uniquingKeysWith: { a, _ in a })
        let compared = comparison.groups.flatMap(\.runs).sorted()
        let limit = Self.pointsPerSeries(runs: compared.count)
        // Each run's series read once, whatever the number of metrics chosen.
        var seriesOf: [Int64: [String: (steps: [Int], values: [Double], total: Int)]] = [:]
        for run in compared {
            for series in try store.thinnedMetricSeries(run: run, names: Set(metrics), limit: limit) {
                seriesOf[run, default: [:]][series.name] = (series.steps, series.values, series.total)
            }
        }
        for metric in metrics {
            var thinned = false
            var runs: [Series] = []
            for run in compared {
                guard let series = seriesOf[run]?[metric] else { continue }
                thinned = thinned || series.steps.count < series.total
                runs.append(Series(labels[run] ?? "run \(run)", x: series.steps.map(Double.init), y: series.values))
            }
            let means = try store.curves(of: comparison, metric: metric, minimumRuns: 2).map { curve in
                let kept = LabStore.keptPositions(count: curve.steps.count, limit: limit)
                thinned = thinned || kept.count < curve.steps.count
                return Series(
                    "mean of \(curve.runs.count): \(curve.label)", x: kept.map { Double(curve.steps[$0]) },
                    y: kept.map { curve.means[$0] }, low: kept.map { curve.intervals[$0]?.low ?? curve.means[$0] },
                    high: kept.map { curve.intervals[$0]?.high ?? curve.means[$0] })
            }
            overlays.append((metric, runs, means, thinned))
        }
        self.overlays = overlays
        self.limit = limit
        query = selection.query
    }

    var html: String {
        let frame = PageFrame.web(live: "all")
        var page = RunReport.pageHead(title: "Compare · " + report.title, frame: frame)
        page += """
            <p>Final values as mean ± the half-width of the 95% confidence interval over a row's runs \
            (t(0.975, n−1)·s/√n). <a href="/api/compare?\(xmlEscaped(query))">JSON</a></p>
            </header>
            <main>
            <h2 id="comparison">Parameters and final values</h2>

            """
        page += report.table
        page += "<h2 id=\"curves\">Curves</h2>\n"
        if overlays.isEmpty { page += "<p>No metric was logged by these runs.</p>\n" }
        page += "<div class=\"grid\">\n"
        for overlay in overlays {
            let title = overlay.metric
            let short = overlay.runs.allSatisfy { $0.x.count <= 12 }
            let runsChart = Chart.line(
                title: title, series: overlay.runs, xLabel: "step", yLabel: title, markers: short)
            page += "<figure>\(RunReport.inlineSVG(SVGChart.render(runsChart, width: 520, height: 320)))"
            page += "<figcaption>\(xmlEscaped(title)) · \(overlay.runs.count) run\(overlay.runs.count == 1 ? "" : "s")"
            page += overlay.thinned ? " · long series drawn at \(limit) evenly spaced points" : ""
            page += "</figcaption></figure>\n"
            if !overlay.means.isEmpty {
                let meansChart = Chart.line(
                    title: "\(title): mean over seeds, 95% band", series: overlay.means, xLabel: "step", yLabel: title,
                    markers: short)
                page += "<figure>\(RunReport.inlineSVG(SVGChart.render(meansChart, width: 520, height: 320)))"
                page += "<figcaption>\(xmlEscaped(title)) · mean of each group at each step, band = 95% interval"
                page += "</figcaption></figure>\n"
            }
        }
        page += "</div>\n" + report.runsTable(frame: frame)
        page += "</main>\n<footer>rlhf serve · read-only</footer>\n"
        return page + RunReport.pageEnd(frame: frame)
    }
}

/// What the compare page and `/api/compare` are asked for: `?runs=1,2,3` (ids or names) or `?sweep=ID`, and
/// `metric=NAME` any number of times.
struct CompareSelection {
    enum Target {
        case runs([Int64])
        case sweep(Int64)
    }

    var target: Target
    var metrics: [String]
    /// The query string that asked, to link the page's JSON.
    var query: String

    init(_ request: WebRequest, store: LabStore) throws {
        metrics = request.query.filter { $0.name == "metric" }.map(\.value)
        let runs = request[query: "runs"], sweep = request[query: "sweep"]
        switch (runs, sweep) {
        case (nil, nil), ("", nil):
            throw WebProblem.badRequest("choose runs (?runs=1,2) or a sweep (?sweep=ID) to compare")
        case (.some, .some):
            throw WebProblem.badRequest("give runs or a sweep, not both")
        case (nil, .some(let text)):
            guard let id = Int64(text), id > 0 else {
                throw WebProblem.badRequest("sweep '\(text)' is not a sweep id (a positive integer)")
            }
            target = .sweep(id)
            query = "sweep=\(id)"
        case (.some(let text), nil):
            let names = text.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if names.contains("") { throw WebProblem.badRequest("runs '\(text)' has an empty entry") }
            guard names.count <= 200 else { throw WebProblem.badRequest("compare at most 200 runs at once") }
            let ids = try names.map { try store.runID($0) }
            target = .runs(ids)
            query = "runs=" + ids.map(String.init).joined(separator: ",")
        }
        query += metrics.map { "&metric=" + WebPath.queryValue($0) }.joined()
    }

    /// The comparison of the runs or the sweep chosen.
    func comparison(_ store: LabStore) throws -> Comparison {
        switch target {
        case .sweep(let id): try store.comparison(sweep: id)
        case .runs(let ids): try store.comparison(runs: ids)
        }
    }

    /// The metrics asked for, or all that `comparison` has; a metric no run compared logged is a bad request.
    func metricNames(of comparison: Comparison) throws -> [String] {
        for name in metrics where !comparison.metricNames.contains(name) {
            let known = comparison.metricNames.isEmpty ? "none" : comparison.metricNames.joined(separator: ", ")
            throw WebProblem.badRequest("no run compared logged metric '\(name)' (metrics: \(known))")
        }
        return metrics.isEmpty ? comparison.metricNames : metrics
    }
}
