import Store

/// The one loop over cells: `rlhf run` (whole, `--resume`, `--cells`), each shell input, the shell's `:load` and
/// `rlhf replay` all run their cells here, so a cancel request, a timeout or a failure is handled the same way
/// everywhere. Front ends only print, through the ``CellExecutionObserver``.
///
/// ```swift
/// let executor = CellExecutor(runner: runner, observer: printer)
/// let execution = try executor.run(plan.steps(notebook, firstCell: runner.firstCell), onFailure: plan.onFailure)
/// try executor.finish(execution.ending)
/// ```
public final class CellExecutor {
    public let runner: NotebookRunner
    let observer: any CellExecutionObserver

    public init(runner: NotebookRunner, observer: any CellExecutionObserver) {
        self.runner = runner
        self.observer = observer
    }

    /// What one call of ``run(_:onFailure:)`` did: each cell it ran with its outcome, in order, and how it ended.
    public struct Execution {
        public var cells: [(cell: PlannedCell, outcome: CellOutcome)]
        public var ending: RunEnding
    }

    /// Runs `steps` in order. A cancel request still pending when a cell is due (it arrived after the previous
    /// cell's last check point) ends the run before that cell. Throws only when a recorded rollback cannot be redone.
    public func run(_ steps: [PlannedStep], onFailure policy: FailurePolicy) throws -> Execution {
        var cells: [(cell: PlannedCell, outcome: CellOutcome)] = []
        var failures: [PlannedCell] = []
        for step in steps {
            switch step {
            case .prose(let text):
                observer.executorReached(prose: text)
            case .rollback(let object, let version):
                _ = try runner.rollback(object, to: version)
            case .cell(let cell):
                if let reason = runner.pendingCancel {
                    return Execution(cells: cells, ending: .cancelled(at: cell, reason: reason, started: false))
                }
                observer.executorWillRun(cell)
                let outcome = execute(cell)
                observer.executorDidRun(cell, outcome: outcome)
                cells.append((cell, outcome))
                switch policy.decision(after: outcome) {
                case .next:
                    break
                case .recordAndContinue:
                    failures.append(cell)
                    // A request that arrived after the cell's last check point must not stop the next cell.
                    if case .cancelled = outcome { runner.clearCancel() }
                case .stop:
                    if case .cancelled(_, let reason) = outcome {
                        return Execution(cells: cells, ending: .cancelled(at: cell, reason: reason, started: true))
                    }
                    return Execution(cells: cells, ending: .stopped(at: cell))
                }
            }
        }
        return Execution(cells: cells, ending: .finished(failures: failures))
    }

    /// Records how the run ended (``RunEnding/status``).
    public func finish(_ ending: RunEnding) throws {
        try runner.finish(status: ending.status)
    }

    private func execute(_ cell: PlannedCell) -> CellOutcome {
        if let ordinal = cell.ordinal { runner.ordinal = ordinal - 1 }
        return runner.execute(
            source: cell.source, key: cell.key, title: cell.title, firstLine: cell.firstLine, echo: cell.echo,
            file: cell.file)
    }
}
