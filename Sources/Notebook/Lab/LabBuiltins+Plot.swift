import Charts
import Foundation
import Language
import Store

/// Charts in the cell language: `plot(ys)`, `plot.line`, `plot.bar`, `plot.bars`, `plot.box`, `plot.metric`. Each
/// prints the chart as text in the cell's output and stores its SVG as an artifact of the cell's commit.
extension LabBuiltins {
    static func plotBuiltins(_ lab: LabState) -> [Builtin] {
        let labels: [Parameter] = [
            .labelled("title", type: "string", default: ""), .labelled("xlabel", type: "string", default: ""),
            .labelled("ylabel", type: "string", default: ""), .labelled("ylim", type: "[number, number]", default: .nil),
            .labelled("name", type: "string", default: .nil),
        ]
        let line = Builtin(
            "plot.line",
            [
                .positional("y", type: "list | record of lists"), .labelled("x", type: "list", default: .nil),
                .labelled("labels", type: "list of strings", default: .nil), .labelled("markers", type: "bool", default: false),
            ] + labels,
            doc: "Line chart of one series (a list) or several ({name: list}), over x, over category labels, or over 0, 1, …"
        ) { args, context in
            let series = try namedSeries(args, "y")
            let categories = try args.optional("labels").map { _ in try strings(args, "labels") } ?? []
            var lines = series.map { Series($0.name, $0.values) }
            if try args.optional("x") != nil {
                guard categories.isEmpty else { throw args.error("x", "cannot be given with labels") }
                let x = try numbers(args, "x")
                lines = series.map { Series($0.name, x: x, y: $0.values) }
            }
            try draw(
                Chart.line(
                    title: args.string("title"), series: lines, categories: categories,
                    xLabel: args.string("xlabel"), yLabel: args.string("ylabel"), markers: args.bool("markers"),
                    yRange: yRange(args)), args, lab, context)
            return .nil
        }
        return [
            Builtin(
                "plot", [.positional("y", type: "list | record of lists")] + labels,
                doc: "Line chart of y over 0, 1, …; plot.line, plot.bar, plot.bars, plot.box and plot.metric draw the others."
            ) { args, context in
                try context.call(
                    line.function, [try args.value("y")], labelled: try labels.map { ($0.name, try args.value($0.name)) })
            },
            line,
            Builtin(
                "plot.bar",
                [.positional("labels", type: "list of strings"), .positional("values", type: "list of numbers")] + labels,
                doc: "Bar chart: one bar per label."
            ) { args, context in
                let (names, values) = (try strings(args, "labels"), try numbers(args, "values"))
                guard names.count == values.count else {
                    throw args.error("values", "has \(values.count) values for \(names.count) labels")
                }
                try draw(
                    Chart.bars(
                        title: args.string("title"), categories: names, series: [Series(args.string("ylabel"), values)],
                        xLabel: args.string("xlabel"), yLabel: args.string("ylabel"), yRange: yRange(args)), args, lab, context)
                return .nil
            },
            Builtin(
                "plot.bars",
                [.positional("labels", type: "list of strings"), .labelled("series", type: "record of lists")] + labels,
                doc: "Grouped bars, e.g. before/after: plot.bars(labels, series: {before: [...], after: [...]})."
            ) { args, context in
                let names = try strings(args, "labels")
                let series = try namedSeries(args, "series")
                for s in series where s.values.count != names.count {
                    throw args.error("series", "'\(s.name)' has \(s.values.count) values for \(names.count) labels")
                }
                try draw(
                    Chart.bars(
                        title: args.string("title"), categories: names, series: series.map { Series($0.name, $0.values) },
                        xLabel: args.string("xlabel"), yLabel: args.string("ylabel"), yRange: yRange(args)), args, lab, context)
                return .nil
            },
            Builtin(
                "plot.box", [.positional("groups", type: "record of lists")] + labels,
                doc: "Box plots of samples ({original: xs, aligned: ys}): quartiles, whiskers at 1.5 IQR, outliers."
            ) { args, context in
                let groups = try namedSeries(args, "groups")
                try draw(
                    Chart.box(
                        title: args.string("title"), groups: groups.map { ($0.name, $0.values) },
                        xLabel: args.string("xlabel"), yLabel: args.string("ylabel"), yRange: yRange(args)), args, lab, context)
                return .nil
            },
            Builtin(
                "plot.metric", [.positional("names", type: "string | list of strings")] + labels,
                doc: "Line chart of metric series of this run by step (e.g. \"rm.loss\"): committed points and this cell's."
            ) { args, context in
                let value = try args.value("names")
                let names = try value.stringValue.map { [$0] } ?? strings(args, "names")
                var series: [Series] = []
                for name in names {
                    let committed = try lab.committedMetrics(name)
                    let current = lab.metrics.filter { $0.name == name }.map { (step: $0.step, value: $0.value) }
                    let points = committed + current
                    guard !points.isEmpty else {
                        throw args.error("names", "names a metric with no points in this run: '\(name)'")
                    }
                    series.append(Series(name, x: points.map { Double($0.step) }, y: points.map(\.value)))
                }
                let title = try args.string("title")
                let xLabel = try args.string("xlabel")
                try draw(
                    Chart.line(
                        title: title.isEmpty ? names.joined(separator: ", ") : title, series: series,
                        xLabel: xLabel.isEmpty ? "step" : xLabel, yLabel: args.string("ylabel"),
                        yRange: yRange(args)), args, lab, context)
                return .nil
            },
        ]
    }

    /// Prints the chart as text and keeps its SVG for the cell's commit, under a name unique within the cell.
    static func draw(_ chart: Chart, _ args: Arguments, _ lab: LabState, _ context: CallContext) throws {
        let text = TextChart.render(chart, width: lab.chartWidth)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            context.print(String(line))
        }
        let given = try args.optional("name").map { _ in try args.string("name") }
        let base = slug(given ?? (chart.title.isEmpty ? "chart" : chart.title))
        var name = base + ".svg"
        var n = 1
        while lab.artifacts.contains(where: { $0.name == name }) {
            n += 1
            name = "\(base)-\(n).svg"
        }
        lab.artifacts.append(
            Artifact(name: name, mediaType: "image/svg+xml", data: Data(SVGChart.render(chart).utf8), text: text))
    }

    /// A file-name-safe form of a title: lowercase letters, digits and dashes (`Slide 8: Challenges` → `slide-8-challenges`).
    static func slug(_ text: String) -> String {
        var out = ""
        for ch in text.lowercased() {
            if ch.isASCII && (ch.isLetter || ch.isNumber) {
                out.append(ch)
            } else if !out.hasSuffix("-") && !out.isEmpty {
                out.append("-")
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "chart" : String(out.prefix(60))
    }

    static func numbers(_ args: Arguments, _ name: String) throws -> [Double] {
        try numbers(args.list(name), args, name)
    }

    static func numbers(_ values: [Value], _ args: Arguments, _ name: String, series: String? = nil) throws -> [Double] {
        try values.enumerated().map { i, v in
            guard let x = v.doubleValue else {
                throw args.error(name, "must hold numbers\(series.map { " in '\($0)'" } ?? ""); element \(i) is \(v.typeName)")
            }
            return x
        }
    }

    static func strings(_ args: Arguments, _ name: String) throws -> [String] {
        try args.list(name).enumerated().map { i, v in
            guard let s = v.stringValue else { throw args.error(name, "must hold strings; element \(i) is \(v.typeName)") }
            return s
        }
    }

    /// A list of numbers (one unnamed series) or a record of lists (named series, in the record's order).
    static func namedSeries(_ args: Arguments, _ name: String) throws -> [(name: String, values: [Double])] {
        switch try args.value(name) {
        case .list(let values): return [("", try numbers(values, args, name))]
        case .record(let record):
            guard record.count > 0 else { throw args.error(name, "must have at least one series") }
            return try record.fields.map { field in
                guard let list = field.value.listValue else {
                    throw args.error(name, "must map names to lists; '\(field.key)' is \(field.value.typeName)")
                }
                return (field.key, try numbers(list, args, name, series: field.key))
            }
        case let other: throw args.error(name, "must be a list of numbers or a record of lists, got \(other.typeName)")
        }
    }

    static func yRange(_ args: Arguments) throws -> ClosedRange<Double>? {
        guard try args.optional("ylim") != nil else { return nil }
        let bounds = try numbers(args, "ylim")
        guard bounds.count == 2, bounds[0] < bounds[1], bounds.allSatisfy(\.isFinite) else {
            throw args.error("ylim", "must be [low, high] with low < high")
        }
        return bounds[0]...bounds[1]
    }
}
