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
        // A resumed run (`--resume`, `--cells`) replays from the same state of its parent.
        let runner = try original.run.parentRun.map { parent in
            try NotebookRunner(
                store: store, notebook: notebook, source: original.source, parameters: original.run.parameters,
                resuming: try store.resumePoint(run: parent, fromCell: original.run.resumedAtCell), output: output)
        } ?? NotebookRunner(
            store: store, notebook: notebook, source: original.source, parameters: original.run.parameters,
            output: output)
        var cells: [(CellInfo, CellOutcome)] = []
        // Rollbacks made between cells (the shell's `:rollback`, or `rlhf rollback` on the run) are redone where
        // they happened, so later cells see the same state and write the same version numbers.
        var rollbacks = original.objects.flatMap(\.versions).filter { $0.cellOrdinal == nil }
            .sorted { ($0.commit, $0.object) < ($1.commit, $1.object) }
        func redoRollbacks(before commit: Int64?) throws {
            while let next = rollbacks.first, commit.map({ next.commit < $0 }) ?? true {
                rollbacks.removeFirst()
                guard let note = next.note, note.hasPrefix("rollback to v"), let target = Int(note.dropFirst(13)) else {
                    continue
                }
                _ = try runner.rollback(next.object, to: target)
            }
        }
        for (index, recorded) in original.cells.enumerated() {
            try redoRollbacks(before: original.cells[index...].lazy.compactMap(\.commit).first)
            cellStarted(recorded, index + 1, original.cells.count)
            // The file line of the cell, so errors point where they did the first time.
            let firstLine = notebook?.cell(key: recorded.key)?.firstLine ?? 1
            runner.ordinal = recorded.ordinal - 1
            let outcome = runner.execute(
                source: recorded.source, key: recorded.key, title: recorded.title, firstLine: firstLine,
                echo: notebook == nil)
            cellFinished(recorded, outcome)
            cells.append((recorded, outcome))
        }
        try redoRollbacks(before: nil)
        let failed = cells.contains { if case .committed = $0.1 { false } else { true } }
        try runner.finish(status: failed ? .failed : .succeeded)
        return Result(id: runner.runID, cells: cells)
    }
}
