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
        lab.committedMetrics = { name in try store.metrics(run: run, name: name).map { ($0.step, $0.value) } }
        lab.sweepCurves = { sweep, metric in try store.sweepCurves(sweep: sweep, metric: metric) }
    }
}
