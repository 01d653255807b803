import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `rlhf report` and `rlhf charts` on a run that trains and draws, through the built executable and pipes.
@Suite struct ReportTests {
    static let notebook =
        smallNotebook + """

            # %% charts id=charts
            plot.bars(["a", "b"], series: {before: [0.7, 0.6], after: [0.85, 0.8]}, title: "Before & after")
            plot.metric("rm.loss")
            """

    @Test func reportIsOneSelfContainedPageWithEveryCellChartAndVersion() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let run = try cli("run", try cli.write("charts.rlhf", ReportTests.notebook))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("· 2 charts ·"))
        // Pipes are not terminals: no ANSI escapes anywhere, and short training prints no progress lines.
        #expect(!run.stdout.contains("\u{1B}") && !run.stderr.contains("\u{1B}"))
        #expect(run.stderr.isEmpty, "\(run.stderr)")

        let report = try cli("report", "1", "-o", "run.html")
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("6 cells, 2 charts"))
        let html = try String(contentsOf: cli.folder.appendingPathComponent("run.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for key in ["setup", "feedback", "reward", "finetune", "noop", "charts"] {
            #expect(html.contains("id=\(key) ·"))
        }
        #expect(html.contains("Before &amp; after"))
        #expect(html.contains("<dt>seed</dt><dd><a href=\"#cell-1\">cell 1</a>: <code>seed(5)</code></dd>"))
        // Each chart replaces its text form: the SVG is in the page, the terminal drawing is not.
        #expect(!html.contains("█ before"))
        #expect(html.contains("<figure id=\"chart-"))
        #expect(html.contains("<pre class=\"output\">pairs: 150"))
        // Every version is a row linked to its cell, and cells link back to their versions.
        #expect(html.contains("<tr id=\"v-policy-2\">") && html.contains("href=\"#cell-4\""))
        #expect(html.contains("href=\"#v-rm-2\""))
        // Self-contained: nothing is fetched (no scripts, stylesheets or images by URL).
        for remote in ["<script", "<link", "src=\"http", "href=\"http", "url(http"] {
            #expect(!html.contains(remote), "\(remote)")
        }
        // Each inline chart is well-formed XML on its own.
        let svgs = html.components(separatedBy: "<svg").dropFirst().map {
            "<svg" + $0.components(separatedBy: "</svg>")[0] + "</svg>"
        }
        #expect(svgs.count >= 2 + 4)  // two cell charts, and a curve per metric series (rm.loss, rm.accuracy, policy.*)
        for svg in svgs { #expect(XMLParser(data: Data(svg.utf8)).parse()) }
    }

    /// Markdown cells are not run, but the report shows them, rendered, before the code cell they precede.
    @Test func reportShowsTheNotebooksProseWhereItStands() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let notebook = """
            # %% [markdown]
            # # Prose & <code>
            # A paragraph with `x = 1` and **bold**
            # over two lines.
            #
            # - first point
            # - second point
            # %% one id=one
            x = 1
            # %% [markdown]
            # Between the cells.
            # %% two id=two
            y = x + 1
            # %% [markdown]
            # After the last cell.
            """
        #expect(try cli("run", try cli.write("prose.rlhf", notebook), "--quiet").status == 0)
        #expect(try cli("report", "1", "-o", "run.html").status == 0)
        let html = try String(contentsOf: cli.folder.appendingPathComponent("run.html"), encoding: .utf8)
        #expect(
            html.contains(
                "<div class=\"prose\">\n<h3>Prose &amp; &lt;code&gt;</h3>\n<p>A paragraph with <code>x = 1</code> and <strong>bold</strong> over two lines.</p>\n<ul><li>first point</li><li>second point</li></ul>\n</div>"
            ))
        // Each block stands before the cell it precedes; the last one after all cells.
        let order = ["Prose &amp;", "id=\"cell-1\"", "Between the cells.", "id=\"cell-2\"", "After the last cell."].map
        { html.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(zip(order, order.dropFirst()).allSatisfy { a, b in (a ?? html.endIndex) < (b ?? html.startIndex) })
    }

    @Test func chartsExportsOneSVGPerChartNamedByCell() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli("run", try cli.write("charts.rlhf", ReportTests.notebook)).status == 0)
        let export = try cli("charts", "1", "--out", "svg")
        #expect(export.status == 0, "\(export.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: cli.folder.appendingPathComponent("svg").path)
            .sorted()
        #expect(files == ["6-charts-before-after.svg", "6-charts-rm-loss.svg"])
        let missing = try cli("charts", "7", "--out", "svg")
        #expect(missing.status != 0 && missing.stderr.contains("error: unknown run '7'"))
    }
}

/// `notebooks/slides.rlhf` as shipped: every chart it stores is well-formed SVG with its slide's title, and the
/// Slide 11 box plot is drawn from the 200 measured gold rewards of each policy.
@Suite struct SlidesNotebookTests {
    static let notebook = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("notebooks/slides.rlhf").path

    @Test func everyChartOfTheSlidesNotebookIsWellFormedSVG() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let run = try cli("run", SlidesNotebookTests.notebook, "--quiet")
        #expect(run.status == 0, "\(run.stderr)")
        let export = try cli("charts", "1", "--out", "svg")
        let files = export.stdout.split(separator: "\n").map(String.init)
        #expect(files.count == 7)
        var titles: [String] = []
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            let document = try XMLDocument(data: data)
            #expect(document.rootElement()?.name == "svg")
            let title = try document.nodes(forXPath: "//*[local-name()='text'][@class='title']").first?.stringValue
            titles.append(title ?? "")
        }
        #expect(titles.filter { $0.hasPrefix("Slide") }.count == 5)
        let box = try #require(files.first { $0.contains("slide-11-measured") })
        let document = try XMLDocument(data: try Data(contentsOf: URL(fileURLWithPath: box)))
        let quartiles = try document.nodes(forXPath: "//*[local-name()='rect'][@class='quartiles']")
        #expect(quartiles.count == 2)
        #expect(quartiles.allSatisfy { ($0.stringValue ?? "").contains("n 200") })
        // The aligned box sits above the original one (higher gold reward → smaller y in SVG).
        let ys = try document.nodes(forXPath: "//*[local-name()='rect'][@class='quartiles']/@y").compactMap {
            $0.stringValue.flatMap(Double.init)
        }
        #expect(ys.count == 2 && ys[1] < ys[0])
    }
}
