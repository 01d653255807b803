import Charts
import Foundation
import Store

/// One self-contained HTML page about a sweep (`rlhf report --sweep ID`) or a set of runs (`rlhf report 3 4 5`):
/// the comparison table of `rlhf compare`, for each metric the means over seeds with their 95% interval drawn
/// across the grid points, and the runs with their point, seed and status.
public struct SweepReport: Sendable {
    public let comparison: Comparison
    let title: String
    /// (run, point label, seed, status) of every run shown.
    public let runs: [(run: Int64, point: String, seed: String, status: String)]

    public init(store: LabStore, sweep: Int64) throws {
        let detail = try store.sweep(sweep)
        comparison = try store.comparison(sweep: sweep)
        title = "Sweep \(sweep) · \(detail.notebook)"
        let points = detail.grid.points.map { $0.map { "\($0.name)=\($0.literal)" }.joined(separator: " ") }
        runs = detail.runs.map { m in
            (
                m.run, points.indices.contains(m.point) ? points[m.point] : "\(m.point)",
                m.seed.map(String.init) ?? "-",
                m.status.rawValue
            )
        }
    }

    public init(store: LabStore, runs ids: [Int64]) throws {
        comparison = try store.comparison(runs: ids)
        title = "Runs " + ids.map(String.init).joined(separator: ", ")
        var rows: [(Int64, String, String, String)] = []
        let summaries = Dictionary(
            try store.runs(ids: comparison.groups.flatMap(\.runs)).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for group in comparison.groups {
            let label = group.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
            for run in group.runs {
                guard let summary = summaries[run] else { throw StoreError.unknownRun(run, latest: nil) }
                let seed = RunParameters.split(summary.parameters).first { $0.name == "run_seed" }?.value ?? "-"
                rows.append((run, label, seed, summary.status.rawValue))
            }
        }
        runs = rows.sorted { $0.0 < $1.0 }
    }

    /// The point's label on a chart's x axis: its parameter values, or its number when it has none.
    private func label(_ index: Int) -> String {
        let values = comparison.groups[index].parameters.map(\.value)
        return values.isEmpty ? "\(index + 1)" : values.joined(separator: ", ")
    }

    /// Mean, low and high of each metric over the points, as three lines over the points (a point without an
    /// interval draws its mean on all three).
    public var charts: [(metric: String, chart: Chart)] {
        let categories = comparison.groups.indices.map(label)
        return comparison.metricNames.map { name in
            let m = comparison.groups.map { $0.metrics[name] }
            let mean = m.map { $0?.mean ?? .nan }
            let low = m.map { $0.map { $0.low ?? $0.mean } ?? .nan }
            let high = m.map { $0.map { $0.high ?? $0.mean } ?? .nan }
            let chart = Chart.line(
                title: name,
                series: [Series("mean", mean), Series("95% low", low), Series("95% high", high)],
                categories: categories, xLabel: comparison.parameterNames.joined(separator: ", "), yLabel: name,
                markers: true)
            return (name, chart)
        }
    }

    /// The page as `rlhf report` writes it.
    public var html: String { html(frame: .report) }

    public func html(frame: PageFrame) -> String {
        var page =
            RunReport.pageHead(title: title, frame: frame) + """
                <p>Each metric's final value, as mean ± the half-width of its 95% confidence interval over the runs of a row
                (t(0.975, n−1)·s/√n, Student t).</p>
                </header>
                <main>
                <h2 id="comparison">Comparison</h2>

                """
        page += table
        page += "<h2 id=\"metrics\">Means with 95% intervals</h2>\n<div class=\"grid\">\n"
        for (metric, chart) in charts {
            let svg = RunReport.inlineSVG(SVGChart.render(chart, width: 520, height: 320))
            page += "<figure>\(svg)<figcaption>\(xmlEscaped(metric))</figcaption></figure>\n"
        }
        page += "</div>\n" + runsTable(frame: frame)
        return page + "</main>\n<footer>rlhf report · \(runs.count) runs</footer>\n" + RunReport.pageEnd(frame: frame)
    }

    /// The runs with their point, seed and status; on the web each run links to its page.
    func runsTable(frame: PageFrame) -> String {
        var out = "<h2 id=\"runs\">Runs</h2>\n<table><tr><th>run</th><th>point</th><th>seed</th><th>status</th></tr>\n"
        for r in runs {
            let id = frame.isWeb ? "<a href=\"/runs/\(r.run)\">\(r.run)</a>" : "\(r.run)"
            out += "<tr><td class=\"num\">\(id)</td><td>\(xmlEscaped(r.point))</td>"
            out +=
                "<td class=\"num\">\(xmlEscaped(r.seed))</td><td class=\"status \(r.status)\">\(r.status)</td></tr>\n"
        }
        return out + "</table>\n"
    }

    var table: String {
        var out = "<div class=\"scroll\"><table><tr><th>point</th>"
        out += comparison.parameterNames.map { "<th>\(xmlEscaped($0))</th>" }.joined()
        out +=
            "<th class=\"num\">n</th>"
            + comparison.metricNames.map { "<th class=\"num\">\(xmlEscaped($0))</th>" }.joined()
        out += "</tr>\n"
        for (index, group) in comparison.groups.enumerated() {
            out += "<tr><td class=\"num\">\(index + 1)</td>"
            out += group.parameters.map { "<td>\(xmlEscaped($0.value))</td>" }.joined()
            out += "<td class=\"num\">\(group.runs.count)</td>"
            out += comparison.metricNames.map { "<td class=\"num\">\(TextFormat.meanInterval(group.metrics[$0]))</td>" }
                .joined()
            out += "</tr>\n"
        }
        return out + "</table></div>\n"
    }
}
