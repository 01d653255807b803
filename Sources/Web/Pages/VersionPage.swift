import Charts
import Foundation
import Store

/// One version of a run's object: a checkpoint's tensors (shape and summary statistics) or a dataset's rows with
/// blame (the version and cell that added each), and, when asked, its diff against another version.
struct VersionPage {
    /// Dataset rows shown per page.
    static let rowsPerPage = 500

    let info: VersionInfo
    let content: Content
    let diff: ObjectDiff?
    let offset: Int

    enum Content {
        case checkpoint(Checkpoint)
        case dataset([BlameLine])
    }

    init(store: LabStore, ref: VersionRef, against other: VersionRef?, offset: Int) throws {
        let (info, state) = try store.state(ref)
        switch state {
        case .checkpoint(let checkpoint):
            self.info = info
            content = .checkpoint(checkpoint)
        case .dataset:
            let (blamed, lines) = try store.blame(ref)
            self.info = blamed
            content = .dataset(lines)
        }
        diff = try other.map {
            try store.diff($0, VersionRef(run: info.run, object: info.object, version: info.version))
        }
        self.offset = max(0, offset)
    }

    var html: String {
        let frame = PageFrame.web(live: nil)
        var page = RunReport.pageHead(title: "\(info.reference) · \(info.kind)", frame: frame)
        let cell = info.cellOrdinal.map {
            "<a href=\"/runs/\(info.run)#cell-\($0)\">cell \($0) (\(xmlEscaped(info.cellKey ?? "")))</a>"
        }
        page += """
            <dl class="facts">
            <dt>run</dt><dd><a href="/runs/\(info.run)">\(info.run)</a></dd>
            <dt>written by</dt><dd>\(cell ?? "—") · commit \(info.commit) · \(xmlEscaped(info.createdAt))</dd>
            <dt>sha256</dt><dd><code>\(info.contentHash)</code></dd>
            <dt>stored</dt><dd>\(TextFormat.bytes(info.bytesWritten)) written by this version</dd>
            \(info.note.map { "<dt>note</dt><dd>\(xmlEscaped($0))</dd>" } ?? "")
            </dl>
            <nav>\(versionLinks) · <a href="/api\(WebPath.versionPath(info))">JSON</a></nav>
            </header>
            <main>

            """
        if let diff { page += Self.diffSection(diff) }
        switch content {
        case .checkpoint(let checkpoint): page += tensorTable(checkpoint)
        case .dataset(let lines): page += rowsTable(lines)
        }
        page += "</main>\n<footer>rlhf serve · read-only</footer>\n"
        return page + RunReport.pageEnd(frame: frame)
    }

    /// Links to the previous and next versions, and to the diff against the previous one.
    private var versionLinks: String {
        let base = WebPath.versionsPrefix(info)
        var links: [String] = []
        if info.version > 1 {
            links.append("<a href=\"\(base)\(info.version - 1)\">← v\(info.version - 1)</a>")
            links.append(
                "<a href=\"\(base)\(info.version)?diff=\(info.version - 1)\">diff against v\(info.version - 1)</a>")
        }
        links.append("<a href=\"\(base)\(info.version + 1)\">v\(info.version + 1) →</a>")
        return links.joined(separator: " · ")
    }

    private func tensorTable(_ checkpoint: Checkpoint) -> String {
        var out =
            "<h2>Tensors</h2>\n<p>\(xmlEscaped(checkpoint.kind)) · config <code>\(xmlEscaped(checkpoint.config))</code></p>\n"
        out += "<table><thead><tr><th>tensor</th><th>shape</th><th class=\"num\">values</th><th class=\"num\">mean</th>"
        out +=
            "<th class=\"num\">std</th><th class=\"num\">min</th><th class=\"num\">max</th><th>first values</th></tr></thead>\n<tbody>\n"
        for tensor in checkpoint.tensors {
            let n = tensor.values.count
            var sum = 0.0, low = Double.infinity, high = -Double.infinity
            for v in tensor.values {
                sum += Double(v)
                low = min(low, Double(v))
                high = max(high, Double(v))
            }
            let mean = n == 0 ? Double.nan : sum / Double(n)
            var squares = 0.0
            for v in tensor.values { squares += (Double(v) - mean) * (Double(v) - mean) }
            let std = n == 0 ? Double.nan : (squares / Double(n)).squareRoot()
            let first = tensor.values.prefix(4).map { TextFormat.number(Double($0)) }.joined(separator: ", ")
            out +=
                "<tr><td><code>\(xmlEscaped(tensor.name))</code></td><td>[\(tensor.shape.map(String.init).joined(separator: ", "))]</td>"
            out += "<td class=\"num\">\(n)</td>"
            out += [mean, std, low, high].map { "<td class=\"num\">\(n == 0 ? "—" : TextFormat.number($0))</td>" }
                .joined()
            out += "<td><code>\(first)\(n > 4 ? ", …" : "")</code></td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    private func rowsTable(_ lines: [BlameLine]) -> String {
        let shown = lines.dropFirst(offset).prefix(Self.rowsPerPage)
        var out = "<h2>Rows with blame</h2>\n<p>\(lines.count) row\(lines.count == 1 ? "" : "s")"
        if lines.count > Self.rowsPerPage {
            out += " · rows \(offset + 1)–\(offset + shown.count)"
            let base = WebPath.versionPath(info) + "?offset="
            if offset > 0 { out += " · <a href=\"\(base)\(max(0, offset - Self.rowsPerPage))\">previous</a>" }
            if offset + shown.count < lines.count {
                out += " · <a href=\"\(base)\(offset + Self.rowsPerPage)\">next</a>"
            }
        }
        out += "</p>\n"
        let text = lines.contains { $0.text != nil }
        out += "<table><thead><tr><th class=\"num\">uid</th><th class=\"num\">prompt</th>"
        out += text ? "<th>prompt text</th><th>chosen</th><th>rejected</th>" : ""
        out += "<th>annotator</th><th class=\"num\">seed</th><th>added in</th><th>cell</th></tr></thead>\n<tbody>\n"
        let base = WebPath.versionsPrefix(info)
        for line in shown {
            out += "<tr><td class=\"num\">\(line.uid)</td><td class=\"num\">\(line.prompt)</td>"
            if text {
                let t = line.text
                out += [t?.prompt, t?.chosen, t?.rejected].map { "<td>\(xmlEscaped($0 ?? ""))</td>" }.joined()
            }
            out += "<td>\(xmlEscaped(line.annotator))</td><td class=\"num\">\(line.seed)</td>"
            out += "<td><a href=\"\(base)\(line.addedIn)\">v\(line.addedIn)</a>"
            out += line.replacesVersion.map { " (relabels v\($0))" } ?? ""
            out +=
                "</td><td>\(line.cellOrdinal.map { "<a href=\"/runs/\(info.run)#cell-\($0)\">\($0):\(xmlEscaped(line.cellKey ?? ""))</a>" } ?? "—")</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    static func diffSection(_ diff: ObjectDiff) -> String {
        switch diff {
        case .model(let d):
            var out = "<h2>Diff: \(xmlEscaped(d.a.reference)) → \(xmlEscaped(d.b.reference))</h2>\n"
            for change in d.configChanges {
                out +=
                    "<p>config <code>\(xmlEscaped(change.key))</code>: \(xmlEscaped(change.a ?? "—")) → \(xmlEscaped(change.b ?? "—"))</p>\n"
            }
            out += "<table><thead><tr><th>tensor</th><th>status</th><th class=\"num\">L2 of change</th>"
            out +=
                "<th class=\"num\">max |change|</th><th class=\"num\">changed</th><th class=\"num\">cosine</th></tr></thead>\n<tbody>\n"
            for t in d.tensors {
                out += "<tr><td><code>\(xmlEscaped(t.name))</code></td><td>\(xmlEscaped(t.status))</td>"
                out +=
                    "<td class=\"num\">\(TextFormat.number(t.l2))</td><td class=\"num\">\(TextFormat.number(t.maxAbs))</td>"
                out += "<td class=\"num\">\(String(format: "%.1f%%", t.changedFraction * 100))</td>"
                out += "<td class=\"num\">\(t.cosine.map(TextFormat.number) ?? "—")</td></tr>\n"
            }
            return out + "</tbody></table>\n"
        case .dataset(let d):
            var out = "<h2>Diff: \(xmlEscaped(d.a.reference)) → \(xmlEscaped(d.b.reference))</h2>\n"
            out += "<p>\(d.addedCount) added · \(d.removedCount) removed · \(d.relabelledCount) relabelled</p>\n"
            out +=
                "<table><thead><tr><th></th><th class=\"num\">uid</th><th class=\"num\">prompt</th><th>annotator</th></tr></thead>\n<tbody>\n"
            for (sign, rows) in [("+", d.added), ("−", d.removed)] {
                for row in rows.prefix(rowsPerPage) {
                    out += "<tr><td>\(sign)</td><td class=\"num\">\(row.uid)</td><td class=\"num\">\(row.prompt)</td>"
                    out += "<td>\(xmlEscaped(row.annotator))</td></tr>\n"
                }
            }
            return out + "</tbody></table>\n"
        }
    }
}
