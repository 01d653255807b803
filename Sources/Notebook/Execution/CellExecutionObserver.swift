/// Receives what a ``CellExecutor`` does, in order, so a front end can print it: `rlhf run` prints headers and commit
/// lines, the shell watches for Ctrl-C while a cell runs, a replay reports each recorded cell. Every method has an
/// empty default.
public protocol CellExecutionObserver: AnyObject {
    /// A markdown cell was reached.
    func executorReached(prose text: String)
    /// `cell` is about to run.
    func executorWillRun(_ cell: PlannedCell)
    /// `cell` ran and ended with `outcome` (before the executor decides what follows).
    func executorDidRun(_ cell: PlannedCell, outcome: CellOutcome)
}

extension CellExecutionObserver {
    public func executorReached(prose text: String) {}
    public func executorWillRun(_ cell: PlannedCell) {}
    public func executorDidRun(_ cell: PlannedCell, outcome: CellOutcome) {}
}
