import Charts
import Foundation
import Language
import Store

/// One self-contained HTML page about a run (no scripts, fonts or images from the network): header, every cell with
/// its source, output and charts, metric curves, and the table of checkpoint and dataset versions linked to cells.
public struct RunReport: Sendable {
    public let detail: RunDetail
    public let artifacts: [StoredArtifact]
    /// Each metric series, thinned to at most ``pointsPerCurve`` points for drawing, with how many it has.
    let curves: [(name: String, steps: [Int], values: [Double], total: Int)]
    /// Total stored bytes of each checkpoint version, by `object@version`.
    let checkpointBytes: [String: Int]
    /// The notebook's markdown cells, by the key of the code cell they come before ("" for those after the last).
    let prose: [String: [String]]

    /// Reads everything the report shows from the store.
    public init(store: LabStore, run: Int64) throws {
        detail = try store.run(run)
        artifacts = try store.artifacts(run: run)
        curves = try store.thinnedMetricSeries(run: run, limit: Self.pointsPerCurve)
        var bytes: [String: Int] = [:]
        for row in try store.query("SELECT object, version, bytes FROM v_checkpoints WHERE run = \(run)").rows {
            if case .text(let name) = row[0], case .integer(let version) = row[1], case .integer(let size) = row[2] {
                bytes["\(name)@\(version)"] = Int(size)
            }
        }
        checkpointBytes = bytes
        var prose: [String: [String]] = [:], pending: [String] = []
        for cell in CellFile.parse(path: detail.run.notebook ?? "", text: detail.source).cells {
            if cell.kind == .markdown {
                pending.append(cell.markdownText)
            } else if !pending.isEmpty {
                prose[cell.key, default: []] += pending
                pending = []
            }
        }
        if !pending.isEmpty { prose[""] = pending }
        self.prose = prose
    }

    /// The prose cells filed under `key`, as HTML; nothing when there are none.
    private func proseBlock(_ key: String) -> String {
        guard let texts = prose[key] else { return "" }
        return texts.map { "<div class=\"prose\">\n\(Prose.html($0))</div>\n" }.joined()
    }

    /// Points drawn per metric curve at most: a longer series is drawn at this many evenly spaced points (a chart
    /// is 520 pixels wide), so a page stays small and quick whatever the run logged.
    public static let pointsPerCurve = 1_000

    /// Metric series in name order, each with its (thinned) points in step order and how many it has.
    public var metricSeries: [(name: String, x: [Double], y: [Double], total: Int)] {
        curves.map { ($0.name, $0.steps.map(Double.init), $0.values, $0.total) }
    }

    /// The page as `rlhf report` writes it.
    public var html: String { html(frame: .report) }

    /// The page in `frame`: on the web, versions link to their own pages and the page follows the run live.
    public func html(frame: PageFrame) -> String {
        let r = detail.run
        let title = "Run \(r.id) · \(r.notebook ?? "shell session")"
        var page =
            Self.pageHead(title: title, frame: frame) + """
                <dl class="facts">
                <dt>status</dt><dd class="status \(r.status.rawValue)">\(r.status.rawValue)</dd>
                <dt>started</dt><dd>\(escape(r.startedAt))</dd>
                <dt>finished</dt><dd>\(escape(r.finishedAt ?? "—"))</dd>
                <dt>duration</dt><dd>\(duration)</dd>
                <dt>parameters</dt><dd><code>\(escape(r.parameters))</code></dd>
                <dt>seed</dt><dd>\(seeds)</dd>
                <dt>cells</dt><dd>\(r.cells)\(r.failedCell.map { " (cell \($0) failed)" } ?? "")</dd>
                <dt>objects</dt><dd>\(r.objects) with \(r.versions) versions</dd>
                <dt>metric points</dt><dd>\(r.metrics)</dd>
                <dt>charts</dt><dd>\(artifacts.count)</dd>
                </dl>
                <nav><a href="#cells">Cells</a> · <a href="#metrics">Metric curves</a> · <a href="#versions">Checkpoints and datasets</a></nav>
                </header>

                """
        page += "<main>\n<h2 id=\"cells\">Cells</h2>\n"
        for cell in detail.cells { page += proseBlock(cell.key) + section(cell) }
        page += proseBlock("") + metricsSection + versionsSection(frame)
        let writer = frame.isWeb ? "<code>rlhf serve</code>" : "<code>rlhf report</code>"
        page +=
            "</main>\n<footer>Written by \(writer) from the store; every number here was measured or given in the notebook.</footer>\n"
        return page + Self.pageEnd(frame: frame)
    }

    private func section(_ cell: CellInfo) -> String {
        let versions = detail.versions(committedBy: cell)
        var out = "<section class=\"cell \(cell.status.rawValue)\" id=\"cell-\(cell.ordinal)\">\n"
        out +=
            "<h3><span class=\"ordinal\">[\(cell.ordinal)]</span> \(escape(cell.title.isEmpty ? cell.key : cell.title))"
        out += " <small>id=\(escape(cell.key)) · \(cell.status.rawValue) · \(milliseconds(cell.durationMs))"
        out += cell.commit.map { " · commit \($0)" } ?? ""
        out += "</small></h3>\n"
        out += "<pre class=\"source\"><code>\(escape(cell.source))</code></pre>\n"
        // Each chart goes where the cell printed its text form; the text itself is left out of the page.
        for part in cell.outputParts(charts: artifacts) {
            switch part {
            case .text(let text): out += outputBlock(text)
            case .chart(let artifact, _):
                out +=
                    "<figure id=\"chart-\(artifact.commit)-\(artifact.position)\">\(inlineSVG(artifact.data))"
                    + "<figcaption>\(escape(artifact.name)) · sha256 \(artifact.hash.prefix(12))</figcaption></figure>\n"
            }
        }
        if let error = cell.error { out += "<pre class=\"error\">\(escape(error))</pre>\n" }
        if !versions.isEmpty {
            out += "<p class=\"versions\">new versions: "
            out += versions.map { "<a href=\"#v-\(anchor($0))\">\(escape($0.object))@\($0.version)</a>" }.joined(
                separator: ", ")
            out += "</p>\n"
        }
        return out + "</section>\n"
    }

    /// Output text as a block, without the blank edges left where a chart was cut out; nothing when empty.
    private func outputBlock(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .newlines)
        return trimmed.isEmpty ? "" : "<pre class=\"output\">\(escape(trimmed))</pre>\n"
    }

    private var metricsSection: String {
        var out = "<h2 id=\"metrics\">Metric curves</h2>\n"
        let series = metricSeries
        if series.isEmpty { return out + "<p>No metric points in this run.</p>\n" }
        out += "<div class=\"grid\">\n"
        for s in series {
            let chart = Chart.line(
                title: s.name, series: [Series(s.name, x: s.x, y: s.y)], xLabel: "step",
                markers: s.x.count <= 12)
            out += "<figure>\(inlineSVG(Data(SVGChart.render(chart, width: 520, height: 320).utf8)))"
            let drawn = s.x.count < s.total ? " (drawn at \(s.x.count) evenly spaced)" : ""
            out += "<figcaption>\(escape(s.name)) · \(s.total) points\(drawn)</figcaption></figure>\n"
        }
        return out + "</div>\n"
    }

    private func versionsSection(_ frame: PageFrame) -> String {
        var out = "<h2 id=\"versions\">Checkpoints and datasets</h2>\n"
        let versions = detail.objects.flatMap(\.versions)
        if versions.isEmpty { return out + "<p>No versioned objects in this run.</p>\n" }
        out +=
            "<table>\n<thead><tr><th>version</th><th>kind</th><th>cell</th><th>commit</th><th class=\"num\">size</th>"
        out +=
            "<th class=\"num\">written</th><th class=\"num\">rows</th><th>sha256</th><th>note</th></tr></thead>\n<tbody>\n"
        for v in versions {
            let cell = v.cellOrdinal.map { "<a href=\"#cell-\($0)\">\($0):\(escape(v.cellKey ?? ""))</a>" } ?? "—"
            let size = checkpointBytes["\(v.object)@\(v.version)"].map(bytes) ?? "—"
            var name = "\(escape(v.object))@\(v.version)"
            if frame.isWeb {
                let page = WebPath.versionPath(v)
                name = "<a href=\"\(page)\">\(name)</a>"
                if v.version > 1 { name += " <a class=\"diff\" href=\"\(page)?diff=\(v.version - 1)\">diff</a>" }
            }
            out +=
                "<tr id=\"v-\(anchor(v))\"><td>\(name)</td><td>\(escape(v.kind))</td><td>\(cell)</td>"
            out += "<td>\(v.commit)</td><td class=\"num\">\(size)</td><td class=\"num\">\(bytes(v.bytesWritten))</td>"
            out += "<td class=\"num\">\(v.rows.map(String.init) ?? "—")</td>"
            out +=
                "<td><code title=\"\(v.contentHash)\">\(v.contentHash.prefix(12))</code></td><td>\(escape(v.note ?? ""))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    /// Where the run's generator was seeded: every successful cell's `seed(…)` lines, quoted from its source (a run
    /// that never calls `seed` starts from seed 0).
    private var seeds: String {
        let calls = detail.seedCalls.map {
            "<a href=\"#cell-\($0.cell)\">cell \($0.cell)</a>: <code>\(escape($0.call))</code>"
        }
        return calls.isEmpty ? "0 (the run's default; no <code>seed()</code> call)" : calls.joined(separator: " · ")
    }

    private var duration: String {
        let parse = ISO8601DateFormatter()
        parse.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let end = detail.run.finishedAt.flatMap(parse.date(from:)),
            let start = parse.date(from: detail.run.startedAt)
        else {
            return "—"
        }
        return milliseconds(end.timeIntervalSince(start) * 1000)
    }

    private func anchor(_ v: VersionInfo) -> String {
        let safe = v.object.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? String($0) : "_" }.joined()
        return "\(safe)-\(v.version)"
    }

    /// SVG as inline markup: the XML declaration is dropped (it is not allowed inside HTML).
    static func inlineSVG(_ svg: String) -> String {
        svg.range(of: "<svg").map { String(svg[$0.lowerBound...]) } ?? ""
    }

    private func inlineSVG(_ data: Data) -> String { Self.inlineSVG(String(decoding: data, as: UTF8.self)) }

    private func milliseconds(_ ms: Double) -> String {
        ms < 1000 ? String(format: "%.0f ms", ms) : String(format: "%.2f s", ms / 1000)
    }

    private func bytes(_ n: Int) -> String { TextFormat.bytes(n) }

    private func escape(_ text: String) -> String { xmlEscaped(text) }

    /// The start of a report page up to its `<h1>`, inside an open `<header>`: one page frame and style sheet for
    /// every report (a run's, a sweep's).
    static func pageHead(title: String, frame: PageFrame = .report) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(xmlEscaped(title))</title>
        <style>\(style)\(frame.isWeb ? webStyle : "")</style>
        </head>
        <body>
        \(frame.bodyOpen)<header>
        <h1>\(xmlEscaped(title))</h1>

        """
    }

    /// The end of a page after its footer.
    static func pageEnd(frame: PageFrame) -> String { frame.bodyClose + "</body>\n</html>\n" }

    /// What the web view adds to the report's style: the top bar, the runs table's controls.
    static let webStyle = """
        nav.top{background:#24292f;padding:8px 24px;display:flex;gap:18px;align-items:center}nav.top a{color:#fff;text-decoration:none;font-weight:600}
        nav.top .live{margin-left:auto;color:#9be9a8;font-size:12px}a.diff{font-size:12px;color:#777}
        .controls{display:flex;gap:12px;align-items:center;margin:10px 0}.controls input[type=search]{flex:1;padding:5px 8px;font:inherit}
        th.sortable{cursor:pointer;user-select:none}th.sortable:after{content:" \\2195";color:#bbb}table.runs td{white-space:nowrap}
        .band{opacity:.18}.muted{color:#888}.error-page{color:#b00020}
        """

    static let style = """
        body{font:15px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#222;margin:0;background:#fafafa}
        header,main,footer{max-width:1100px;margin:0 auto;padding:0 24px}
        header{padding-top:20px}h1{font-size:24px;margin:0 0 8px}h2{margin-top:36px;border-bottom:1px solid #ddd}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0 0 8px}dt{color:#666}dd{margin:0}
        .status.succeeded{color:#2a7a2a;font-weight:600}.status.failed{color:#b00020;font-weight:600}
        section.cell{background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:4px 16px 12px;margin:14px 0}
        section.cell.failed{border-color:#e5a0a8}h3{font-size:16px;margin:10px 0}h3 small{color:#777;font-weight:400}
        pre{background:#f4f4f4;padding:8px 10px;border-radius:4px;overflow-x:auto;font:12.5px/1.35 Menlo,Consolas,"DejaVu Sans Mono",monospace}
        pre.output{background:#fff;border-left:3px solid #4e79a7}pre.error{background:#fff0f0;color:#b00020}
        figure{margin:10px 0}figure svg{max-width:100%;height:auto;background:#fff}figcaption{color:#777;font-size:12px}
        .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:8px}
        table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}th,td{border-bottom:1px solid #eee;padding:4px 8px;text-align:left}
        td.num,th.num{text-align:right}code{font-family:Menlo,Consolas,"DejaVu Sans Mono",monospace}
        footer{color:#888;font-size:12px;padding:24px}a{color:#2a5db0}
        .prose{max-width:820px;margin:18px 2px}.prose h3{font-size:19px}.prose code{background:#f0f0f0;padding:0 3px;border-radius:3px}
        .scroll{overflow-x:auto;max-width:100%}
        """
}
