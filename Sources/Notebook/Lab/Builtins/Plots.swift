import Charts
import Foundation
import Language
import Store

/// Charts in the cell language: `plot(ys)`, `plot.line`, `plot.bar`, `plot.bars`, `plot.box`, `plot.metric`. Each
/// prints the chart as text in the cell's output and stores its SVG as an artifact of the cell's commit.
extension LabBuiltins {
    /// The labelled parameters every chart takes.
    struct ChartLabels {
        let title = Param.labelled("title", .string, default: "")
        let xlabel = Param.labelled("xlabel", .string, default: "")
        let ylabel = Param.labelled("ylabel", .string, default: "")
        let ylim = Param.optional("ylim", .yRange)
        let name = Param.optional("name", .string)

        var all: [any ParameterDeclaration] { [title, xlabel, ylabel, ylim, name] }
    }

    static func plotBuiltins(_ lab: LabState) -> [Builtin] {
        let labels = ChartLabels()
        let y = Param.positional("y", .namedSeries), x = Param.optional("x", .numbers)
        let categories = Param.optional("labels", .strings), markers = Param.labelled("markers", .bool, default: false)
        let line = Builtin(
            "plot.line", [y, x, categories, markers] + labels.all,
            doc:
                "Line chart of one series (a list) or several ({name: list}), over x, over category labels, or over 0, 1, …"
        ) { args, context in
            let series = try y(args)
            let names = try categories(args) ?? []
            var lines = series.map { Series($0.name, $0.values) }
            if let xs = try x(args) {
                guard names.isEmpty else { throw x.error(args, "cannot be given with labels") }
                lines = series.map { Series($0.name, x: xs, y: $0.values) }
            }
            try draw(
                Chart.line(
                    title: labels.title(args), series: lines, categories: names,
                    xLabel: labels.xlabel(args), yLabel: labels.ylabel(args), markers: markers(args),
                    yRange: labels.ylim(args)), named: labels.name(args), lab, context)
            return .nil
        }
        let barLabels = Param.positional("labels", .strings), values = Param.positional("values", .numbers)
        let series = Param.labelled("series", .namedSeries), groups = Param.positional("groups", .namedSeries)
        let metricNames = Param.positional("names", .metricNames), xMetric = Param.optional("x", .string)
        return [
            Builtin(
                "plot", [y] + labels.all,
                doc:
                    "Line chart of y over 0, 1, …; plot.line, plot.bar, plot.bars, plot.box and plot.metric draw the others."
            ) { args, context in
                try context.call(
                    line.function, [try args.value(y.name)],
                    labelled: try labels.all.map { ($0.parameter.name, try args.value($0.parameter.name)) })
            },
            line,
            Builtin("plot.bar", [barLabels, values] + labels.all, doc: "Bar chart: one bar per label.") {
                args, context in
                let (names, numbers) = (try barLabels(args), try values(args))
                guard names.count == numbers.count else {
                    throw values.error(args, "has \(numbers.count) values for \(names.count) labels")
                }
                try draw(
                    Chart.bars(
                        title: labels.title(args), categories: names, series: [Series(labels.ylabel(args), numbers)],
                        xLabel: labels.xlabel(args), yLabel: labels.ylabel(args), yRange: labels.ylim(args)),
                    named: labels.name(args), lab, context)
                return .nil
            },
            Builtin(
                "plot.bars", [barLabels, series] + labels.all,
                doc: "Grouped bars, e.g. before/after: plot.bars(labels, series: {before: [...], after: [...]})."
            ) { args, context in
                let names = try barLabels(args)
                let groups = try series(args)
                for s in groups where s.values.count != names.count {
                    throw series.error(args, "'\(s.name)' has \(s.values.count) values for \(names.count) labels")
                }
                try draw(
                    Chart.bars(
                        title: labels.title(args), categories: names, series: groups.map { Series($0.name, $0.values) },
                        xLabel: labels.xlabel(args), yLabel: labels.ylabel(args), yRange: labels.ylim(args)),
                    named: labels.name(args), lab, context)
                return .nil
            },
            Builtin(
                "plot.box", [groups] + labels.all,
                doc: "Box plots of samples ({original: xs, aligned: ys}): quartiles, whiskers at 1.5 IQR, outliers."
            ) { args, context in
                try draw(
                    Chart.box(
                        title: labels.title(args), groups: try groups(args).map { ($0.name, $0.values) },
                        xLabel: labels.xlabel(args), yLabel: labels.ylabel(args), yRange: labels.ylim(args)),
                    named: labels.name(args), lab, context)
                return .nil
            },
            Builtin(
                "plot.metric", [metricNames, xMetric] + labels.all,
                doc:
                    "Line chart of metric series of this run by step (e.g. \"rm.loss\"): committed points and this cell's. x: another metric as the x axis, each point drawn at that metric's value at the same step and joined in the order of x (steps where it has none are left out): plot.metric(\"p.gold\", x: \"p.objective/kl\")."
            ) { args, context in
                let names = try metricNames(args)
                /// A series' committed points and this cell's, by step.
                func points(_ name: String, _ param: Param<some Any>) throws -> [(
                    step: Int, value: Double, cell: String
                )] {
                    let committed = try lab.committedMetrics(name)
                    let current = lab.metrics.filter { $0.name == name }.map {
                        (step: $0.step, value: $0.value, cell: "this cell")
                    }
                    let points = (committed + current).sorted { $0.step < $1.step }
                    guard !points.isEmpty else {
                        throw param.error(args, "names a metric with no points in this run: '\(name)'")
                    }
                    return points
                }
                let axis = try xMetric(args)
                let xAt = try axis.map { name in
                    Dictionary(try points(name, xMetric).map { ($0.step, $0.value) }) { _, last in last }
                }
                var series: [Series] = []
                var marks: [Mark] = []
                for name in names {
                    let points = try points(name, metricNames)
                    if let xAt {
                        // A curve over the other metric: its points in the order of their x (ties by step).
                        let pairs = points.compactMap { p in xAt[p.step].map { (x: $0, y: p.value) } }
                            .enumerated().sorted { ($0.element.x, $0.offset) < ($1.element.x, $1.offset) }.map(
                                \.element)
                        series.append(Series(name, x: pairs.map(\.x), y: pairs.map(\.y)))
                        continue
                    }
                    series.append(Series(name, x: points.map { Double($0.step) }, y: points.map(\.value)))
                    // Where one cell's points end and the next cell's begin (once per step, for all the series).
                    for (a, b) in zip(points, points.dropFirst())
                    where a.cell != b.cell && !marks.contains(where: { $0.x == Double(b.step) }) {
                        marks.append(Mark(x: Double(b.step), label: b.cell))
                    }
                }
                if axis != nil, series.allSatisfy({ $0.x.isEmpty }) {
                    throw xMetric.error(args, "has no point at any step of \(names.joined(separator: ", "))")
                }
                marks.sort { $0.x < $1.x }
                let title = try labels.title(args)
                let xLabel = try labels.xlabel(args)
                try draw(
                    Chart.line(
                        title: title.isEmpty ? names.joined(separator: ", ") : title, series: series,
                        xLabel: xLabel.isEmpty ? axis ?? "step" : xLabel, yLabel: labels.ylabel(args),
                        yRange: labels.ylim(args), marks: marks), named: labels.name(args), lab, context)
                return .nil
            },
            sweepPlot(lab, labels),
        ]
    }

    /// `plot.sweep(3, "p.gold")`: per grid point of sweep 3, the metric's mean over the seeds by step with its 95%
    /// interval shaded (Student t over the runs that logged the step). It reads the runs the sweep has when the cell
    /// runs, as `load` reads the latest version: a replay after the sweep has grown draws the larger sweep.
    static func sweepPlot(_ lab: LabState, _ labels: ChartLabels) -> Builtin {
        let sweep = Param.positional("sweep", .int, in: .integer(1...1_000_000_000))
        let metric = Param.positional("metric", .string)
        return Builtin(
            "plot.sweep", [sweep, metric] + labels.all,
            doc:
                "Means by step of a metric over each point's seeds in a sweep, with 95% intervals shaded: plot.sweep(3, \"p.gold\")."
        ) { args, context in
            let (id, name) = (try sweep(args), try metric(args))
            let curves: [SweepCurve]
            do {
                curves = try lab.sweepCurves(Int64(id), name)
            } catch let error as StoreError {
                throw sweep.error(args, "\(error)")
            }
            guard !curves.isEmpty else {
                throw metric.error(args, "names a metric no succeeded run of sweep \(id) logged: '\(name)'")
            }
            let series = curves.map { curve in
                let x = curve.steps.map(Double.init)
                return Series(
                    "\(curve.label) (n=\(curve.runs.count))", x: x, y: curve.means,
                    low: zip(curve.means, curve.intervals).map { $1?.low ?? $0 },
                    high: zip(curve.means, curve.intervals).map { $1?.high ?? $0 })
            }
            let (title, xLabel) = (try labels.title(args), try labels.xlabel(args))
            try draw(
                Chart.line(
                    title: title.isEmpty ? "\(name) over sweep \(id)" : title, series: series,
                    xLabel: xLabel.isEmpty ? "step" : xLabel,
                    yLabel: try labels.ylabel(args).isEmpty ? name : labels.ylabel(args),
                    yRange: labels.ylim(args)), named: labels.name(args), lab, context)
            return .nil
        }
    }

    /// Prints the chart as text and keeps its SVG for the cell's commit, under a name unique within the cell.
    static func draw(_ chart: Chart, named given: String?, _ lab: LabState, _ context: CallContext) throws {
        let text = TextChart.render(chart, width: lab.chartWidth)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            context.print(String(line))
        }
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
}

extension ArgumentType where Output == [Double] {
    /// A list of numbers.
    static var numbers: ArgumentType<[Double]> {
        ArgumentType("list of numbers", noun: "a list") { value in
            guard let elements = value.listValue else { return .refused(nil) }
            return numbers(elements, series: nil)
        }
    }

    /// The elements as numbers, or the complaint naming the first that is not (in series `series`, if named).
    static func numbers(_ elements: [Value], series: String?) -> Conversion {
        var numbers: [Double] = []
        for (i, element) in elements.enumerated() {
            guard let x = element.doubleValue else {
                return .refused(
                    "must hold numbers\(series.map { " in '\($0)'" } ?? ""); element \(i) is \(element.typeName)")
            }
            numbers.append(x)
        }
        return .admitted(numbers)
    }
}

extension ArgumentType where Output == [(name: String, values: [Double])] {
    /// A list of numbers (one unnamed series) or a record of lists (named series, in the record's order).
    static var namedSeries: ArgumentType<[(name: String, values: [Double])]> {
        ArgumentType("list | record of lists", noun: "a list of numbers or a record of lists") { value in
            switch value {
            case .list(let elements):
                switch ArgumentType<[Double]>.numbers(elements, series: nil) {
                case .admitted(let numbers): return .admitted([("", numbers)])
                case .refused(let message): return .refused(message)
                }
            case .record(let record):
                guard record.count > 0 else { return .refused("must have at least one series") }
                var series: [(name: String, values: [Double])] = []
                for field in record.fields {
                    guard let list = field.value.listValue else {
                        return .refused("must map names to lists; '\(field.key)' is \(field.value.typeName)")
                    }
                    switch ArgumentType<[Double]>.numbers(list, series: field.key) {
                    case .admitted(let numbers): series.append((field.key, numbers))
                    case .refused(let message): return .refused(message)
                    }
                }
                return .admitted(series)
            default: return .refused(nil)
            }
        }
    }
}

extension ArgumentType where Output == ClosedRange<Double> {
    /// A chart's y range: `[low, high]`, finite, with low < high.
    static var yRange: ArgumentType<ClosedRange<Double>> {
        ArgumentType("[number, number]", noun: "a list") { value in
            guard let elements = value.listValue else { return .refused(nil) }
            switch ArgumentType<[Double]>.numbers(elements, series: nil) {
            case .refused(let message): return .refused(message)
            case .admitted(let bounds):
                guard bounds.count == 2, bounds[0] < bounds[1], bounds.allSatisfy(\.isFinite) else {
                    return .refused("must be [low, high] with low < high")
                }
                return .admitted(bounds[0]...bounds[1])
            }
        }
    }
}

extension ArgumentType where Output == [String] {
    /// One metric name or a list of them.
    static var metricNames: ArgumentType<[String]> {
        ArgumentType("string | list of strings", noun: "a string or list of strings") { value in
            if let name = value.stringValue { return .admitted([name]) }
            return ArgumentType.strings.convert(value)
        }
    }
}
