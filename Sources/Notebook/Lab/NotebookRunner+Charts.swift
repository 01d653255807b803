import Language
import Store

extension NotebookRunner {
    /// Columns a chart printed as cell output may use (the CLI sets the terminal's width; 80 otherwise).
    public var chartWidth: Int {
        get { lab.chartWidth }
        set { lab.chartWidth = max(newValue, 30) }
    }

    /// Receives (done, total) from long built-ins (training, collection) while they run. Cell output never sees it.
    public var progress: (Int, Int) -> Void {
        get { lab.progress }
        set { lab.progress = newValue }
    }

    /// Lets `plot.metric` read the metric points this run has already committed, and `plot.sweep` a sweep's runs.
    func connectCharts() {
        let (store, run) = (self.store, runID)
        lab.committedMetrics = { name in
            var cells: [Int64: String] = [:]
            for cell in try store.run(run).cells { if let commit = cell.commit { cells[commit] = cell.key } }
            return try store.committedMetrics(run: run).filter { $0.point.name == name }.map {
                (step: $0.point.step, value: $0.point.value, cell: cells[$0.commit] ?? "")
            }
        }
        lab.sweepCurves = { sweep, metric in try store.sweepCurves(sweep: sweep, metric: metric) }
    }
}
