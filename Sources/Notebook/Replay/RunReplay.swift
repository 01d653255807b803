import Language
import Store

/// Re-executes a recorded run into a new run of the same store: the cells the store recorded, in the order they ran
/// (failed ones included), with their recorded sources, so `--param` overrides (appended to the parameters cell),
/// `--continue-on-error` and shell sessions all replay as they happened.
///
/// ```swift
/// let replay = try RunReplay(store: store, run: 1)
/// let run = try replay.execute(output: { print($0) })
/// let verdict = try ReplayVerification.compare(store: store, original: 1, replay: run.id)
/// ```
public struct RunReplay {
    /// The run being replayed, as recorded.
    public let original: RunDetail
    let store: LabStore

    /// Reads run `run` from the store (unknown run -> the store's error naming the latest run).
    public init(store: LabStore, run: Int64) throws {
        self.store = store
        original = try store.run(run)
    }

    /// What the replay produced: the new run and each replayed cell with its outcome, in order.
    public struct Result {
        /// The new run.
        public var id: Int64
        /// Each recorded cell and what replaying it gave.
        public var cells: [(recorded: CellInfo, outcome: CellOutcome)]
    }

    /// Runs every recorded cell into a new run (same notebook path, source and parameters) and finishes it as
    /// `failed` if any cell failed, else `succeeded`. `cellStarted` is called before each cell with its position and
    /// the number of cells (for headers), `cellFinished` after it.
    public func execute(
        output: @escaping (String) -> Void, cellStarted: (CellInfo, Int, Int) -> Void = { _, _, _ in },
        cellFinished: (CellInfo, CellOutcome) -> Void = { _, _ in }
    ) throws -> Result {
        let notebook = original.run.notebook.map { CellFile.parse(path: $0, text: original.source) }
        let steps = try steps(notebook)
        // A resumed run (`--resume`, `--cells`) replays from the same state of its parent. The replay records the
        // environment it ran in, not the original's: that is what a replay on another machine tells apart.
        let metadata = RunMetadata(
            environment: .current(notebook: original.run.notebook), replayOf: original.run.id)
        let runner =
            try original.run.parentRun.map { parent in
                try NotebookRunner(
                    store: store, notebook: notebook, source: original.source, parameters: original.run.parameters,
                    resuming: try store.resumePoint(run: parent, fromCell: original.run.resumedAtCell),
                    metadata: metadata, output: output)
            }
            ?? NotebookRunner(
                store: store, notebook: notebook, source: original.source, parameters: original.run.parameters,
                metadata: metadata, output: output)
        let execution = try withoutActuallyEscaping(cellStarted) { started in
            try withoutActuallyEscaping(cellFinished) { finished in
                let observer = ReplayObserver(recorded: original.cells, started: started, finished: finished)
                return try CellExecutor(runner: runner, observer: observer)
                    .run(steps, onFailure: .runEveryCell)
            }
        }
        try runner.finish(status: execution.ending.status)
        let cells = zip(original.cells, execution.cells).map { ($0, $1.outcome) }
        return Result(id: runner.runID, cells: cells)
    }

    /// The recorded cells in the order they ran, each under its recorded ordinal and at its file line (so errors
    /// point where they did the first time), with the rollbacks made between cells (the shell's `:rollback`, or
    /// `rlhf rollback` on the run) redone where they happened, so later cells see the same state and write the same
    /// version numbers. Rollbacks are read from the store's typed events, never from commit notes.
    func steps(_ notebook: CellFile?) throws -> [PlannedStep] {
        var rollbacks = try store.events(run: original.run.id).compactMap { recorded -> (Int64, PlannedStep)? in
            guard case let .rollback(object, version) = recorded.event else { return nil }
            return (recorded.commit, .rollback(object: object, toVersion: version))
        }
        var steps: [PlannedStep] = []
        for (index, recorded) in original.cells.enumerated() {
            // Every rollback committed before the next commit of a cell from here on.
            let next = original.cells[index...].lazy.compactMap(\.commit).first
            while let (commit, rollback) = rollbacks.first, next.map({ commit < $0 }) ?? true {
                rollbacks.removeFirst()
                steps.append(rollback)
            }
            steps.append(
                .cell(
                    PlannedCell(
                        position: index + 1, key: recorded.key, title: recorded.title, source: recorded.source,
                        firstLine: notebook?.cell(key: recorded.key)?.firstLine ?? 1, echo: notebook == nil,
                        ordinal: recorded.ordinal)))
        }
        return steps + rollbacks.map(\.1)
    }
}

/// Hands each replayed cell to the caller as the recorded cell it replays.
private final class ReplayObserver: CellExecutionObserver {
    let recorded: [CellInfo]
    let started: (CellInfo, Int, Int) -> Void
    let finished: (CellInfo, CellOutcome) -> Void

    init(
        recorded: [CellInfo], started: @escaping (CellInfo, Int, Int) -> Void,
        finished: @escaping (CellInfo, CellOutcome) -> Void
    ) {
        self.recorded = recorded
        self.started = started
        self.finished = finished
    }

    func executorWillRun(_ cell: PlannedCell) { started(recorded[cell.position - 1], cell.position, recorded.count) }

    func executorDidRun(_ cell: PlannedCell, outcome: CellOutcome) { finished(recorded[cell.position - 1], outcome) }
}
