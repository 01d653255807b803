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

    /// The curve of metric `name` for each group of `comparison` with at least `minimumRuns` runs (a sweep's grid
    /// points, or runs grouped by their parameters), in the comparison's order: the mean over the group's runs at
    /// each step with its 95% interval, as ``sweepCurves(sweep:metric:)`` computes it.
    ///
    /// Each run's series is read in step order into two flat arrays and the runs are merged step by step, so a
    /// group of long runs costs 16 bytes a point and no table of steps.
    public func curves(of comparison: Comparison, metric name: String, minimumRuns: Int = 1) throws -> [SweepCurve] {
        try comparison.groups.compactMap { group in
            guard !group.runs.isEmpty, group.runs.count >= minimumRuns else { return nil }
            var series: [(steps: [Int], values: [Double])] = []
            for run in group.runs {
                var one: (steps: [Int], values: [Double]) = ([], [])
                try forEachMetricPoint(run: run, name: name) { _, step, value in
                    one.steps.append(step)
                    one.values.append(value)
                }
                series.append(one)
            }
            // Merge by step: at each step of the union, one value per run that logged it, in run order.
            var next = [Int](repeating: 0, count: series.count)
            var steps: [Int] = [], means: [Double] = [], intervals: [(low: Double, high: Double)?] = []
            var atStep: [Double] = []
            func nextStep() -> Int? {
                var lowest: Int?
                for r in series.indices where next[r] < series[r].steps.count {
                    lowest = min(lowest ?? series[r].steps[next[r]], series[r].steps[next[r]])
                }
                return lowest
            }
            while let step = nextStep() {
                atStep.removeAll(keepingCapacity: true)
                for r in series.indices where next[r] < series[r].steps.count && series[r].steps[next[r]] == step {
                    atStep.append(series[r].values[next[r]])
                    next[r] += 1
                }
                let summary = MeanInterval(atStep)
                steps.append(step)
                means.append(summary?.mean ?? .nan)
                intervals.append(summary.flatMap { s in s.low.flatMap { low in s.high.map { (low, $0) } } })
            }
            guard !steps.isEmpty else { return nil }
            let label = group.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
            return SweepCurve(
                label: label.isEmpty ? "all runs" : label, runs: group.runs, steps: steps, means: means,
                intervals: intervals)
        }
    }
}
