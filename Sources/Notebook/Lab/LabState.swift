import Alignment
import Engine
import Language
import Store

/// What the RLHF built-ins share within a run: the run's random generator, metric series positions, and the
/// effects of the current cell that are not bindings (metric points, intermediate checkpoints).
final class LabState {
    var rng: RNG
    /// Next step of each metric series in this run, so a second `fit` continues `rm.loss` where the first stopped.
    var nextStep: [String: Int] = [:]
    /// Metric points of the current cell, in the order they were produced.
    var metrics: [MetricPoint] = []
    /// A checkpoint for every training call of the current cell, in order, so each fine-tune and each fit leaves
    /// its own version even when a loop runs several in one cell.
    var checkpoints: [(name: String, state: ObjectState)] = []
    /// Files (chart SVGs) the current cell produced, in order; committed with the cell.
    var artifacts: [Artifact] = []
    /// The stored versions the current cell's `load` calls read, in order; the commit notes a version it writes with
    /// the same content as loaded from one of them.
    var loads: [VersionInfo] = []
    /// Columns a chart printed as text may use.
    var chartWidth = 80
    /// This run's committed points of one metric series, ordered by step (set by the runner, which owns the store).
    var committedMetrics: (String) throws -> [(step: Int, value: Double, cell: String)] = { _ in [] }
    /// A sweep's curves of one metric, for `plot.sweep` (the store's `sweepCurves`).
    var sweepCurves: (Int64, String) throws -> [SweepCurve] = { _, _ in [] }
    /// Where long built-ins report progress (done, total); the CLI draws it on stderr, never into cell output.
    var progress: (Int, Int) -> Void = { _, _ in }
    /// The store and run the session commits to, for version references, `load` and `rollback`.
    var store: LabStore?
    var runID: Int64 = 0
    /// The folder relative file paths in cells resolve against (`Corpus(file:)`): the notebook's, as `rlhf run` was
    /// given its path; "" (the working directory) in the shell.
    var folder = ""
    /// Set from another thread (Ctrl-C, a signal); the interpreter and long built-ins poll it at their check points.
    let cancellation = CancelRequest()
    /// When the running cell must stop (`--cell-timeout`); nil for no limit.
    var deadline: ContinuousClock.Instant?

    init(seed: UInt64) {
        rng = RNG(seed: seed)
    }

    /// Whether the running cell must stop now: a pending request, or its deadline passed (which becomes a request,
    /// so the outcome can say why).
    func isCancelled() -> Bool {
        if cancellation.isRequested { return true }
        guard let deadline, ContinuousClock.now >= deadline else { return false }
        cancellation.request(.timeout)
        return true
    }

    var control: TrainingControl {
        TrainingControl(
            isCancelled: { [unowned self] in self.isCancelled() },
            progress: { [unowned self] done, total in self.progress(done, total) })
    }

    /// Appends metric points named `prefix.name`, placing each series after the points it already has in this run
    /// (so a second `fit(rm, …)` continues `rm.loss` where the first stopped).
    func record(_ points: [Metric], prefix: String? = nil) {
        var last: [String: Int] = [:]
        for p in points {
            let name = prefix.map { "\($0).\(p.name)" } ?? p.name
            let step = (nextStep[name] ?? 0) + p.step
            metrics.append(MetricPoint(name: name, step: step, value: p.value))
            last[name] = max(last[name] ?? 0, step)
        }
        for (name, step) in last { nextStep[name] = step + 1 }
    }

    /// Appends one point at an explicit step (`log_metric(name, v, step: 10)`); the series' next step moves past it
    /// if it is beyond, so a later call without a step continues after the highest one.
    func record(_ name: String, step: Int, _ value: Double) {
        metrics.append(MetricPoint(name: name, step: step, value: value))
        nextStep[name] = max(nextStep[name] ?? 0, step + 1)
    }

    /// The run-level state a failed cell must not change.
    struct Snapshot {
        let rng: RNG
        let nextStep: [String: Int]
    }

    func snapshot() -> Snapshot { Snapshot(rng: rng, nextStep: nextStep) }

    func restore(_ s: Snapshot) {
        rng = s.rng
        nextStep = s.nextStep
        metrics = []
        checkpoints = []
        artifacts = []
        loads = []
    }
}
