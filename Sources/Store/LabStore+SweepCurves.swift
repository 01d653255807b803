import GRDB

/// One grid point's curve of a metric over the seeds of a sweep: at each step, the mean of the runs' values and its
/// 95% confidence interval (Student t over the runs that logged that step).
public struct SweepCurve: Sendable, Equatable {
    /// The point's parameters, as `name=literal`.
    public var label: String
    /// The runs averaged (each seed's latest succeeded run), in id order.
    public var runs: [Int64]
    public var steps: [Int]
    /// The mean and interval at each step; `interval[i]` is nil where fewer than two runs logged `steps[i]`.
    public var means: [Double]
    public var intervals: [(low: Double, high: Double)?]

    public static func == (a: SweepCurve, b: SweepCurve) -> Bool {
        a.label == b.label && a.runs == b.runs && a.steps == b.steps && a.means == b.means
            && a.intervals.map { $0?.low } == b.intervals.map { $0?.low }
            && a.intervals.map { $0?.high } == b.intervals.map { $0?.high }
    }
}

extension LabStore {
    /// The curve of metric `name` at each point of sweep `id` that has a succeeded run (the runs `comparison(sweep:)`
    /// takes), in grid order: what `plot.sweep` draws. Steps are the union of the runs' steps; a step is averaged
    /// over the runs that logged it.
    public func sweepCurves(sweep id: Int64, metric name: String) throws -> [SweepCurve] {
        try curves(of: try comparison(sweep: id), metric: name)
    }

    /// The curve of metric `name` for each group of `comparison` that has runs (a sweep's grid points, or runs
    /// grouped by their parameters), in the comparison's order: the mean over the group's runs at each step with its
    /// 95% interval, as ``sweepCurves(sweep:metric:)`` computes it.
    public func curves(of comparison: Comparison, metric name: String) throws -> [SweepCurve] {
        try comparison.groups.compactMap { group in
            guard !group.runs.isEmpty else { return nil }
            var values: [Int: [Double]] = [:]  // step → one value per run that logged it, in run order
            for run in group.runs {
                try forEachMetricPoint(run: run, name: name) { _, step, value in values[step, default: []].append(value)
                }
            }
            guard !values.isEmpty else { return nil }
            let steps = values.keys.sorted()
            let summaries = steps.map { MeanInterval(values[$0] ?? []) }
            let label = group.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
            return SweepCurve(
                label: label.isEmpty ? "all runs" : label, runs: group.runs, steps: steps,
                means: summaries.map { $0?.mean ?? .nan },
                intervals: summaries.map { s in s.flatMap { s in s.low.flatMap { low in s.high.map { (low, $0) } } } })
        }
    }
}
