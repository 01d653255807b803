import Alignment
import Engine
import Foundation
import Language
import Store

/// What became of one cell.
public enum CellOutcome: Sendable {
    /// The cell succeeded and its effects are one commit in the store.
    case committed(CommitSummary, durationMs: Double)
    /// The cell failed (message already in `file:line:col: error: …` form); only its error record was written and
    /// the session is as it was before the cell.
    case failed(String)
    /// The cell was stopped (Ctrl-C, a signal, `--cell-timeout`) at a check point and rolled back like a failed
    /// cell; it is recorded as `cancelled` with its output so far. The message reads `file:line:col: error: …`.
    case cancelled(String, CancelRequest.Reason)
}

/// Runs cells against one run of the store: each successful cell is one atomic commit; a failing cell leaves only
/// its error record, and the session's variables, generator and metric positions are restored to before it.
public final class NotebookRunner {
    public let runID: Int64
    let store: LabStore
    let interpreter: Interpreter
    let lab: LabState
    var file: String
    /// Ordinal of the last cell executed (a resumed run starts after the cells it restored).
    var ordinal = 0
    /// Seconds a cell may run before it is cancelled (`--cell-timeout`); nil for no limit.
    public var cellTimeout: Double?
    /// Receives (done, total) while a cell's commit hashes and writes a large dataset (see `LabStore.commit`);
    /// like ``progress``, never cell output.
    public var commitProgress: (Int, Int) -> Void = { _, _ in }

    /// Starts a run. `notebook` is nil for the interactive shell; `metadata` is its name, tags, note and environment.
    public convenience init(
        store: LabStore, notebook: CellFile?, source: String, parameters: String = "{}",
        metadata: RunMetadata = RunMetadata(), output: @escaping (String) -> Void
    ) throws {
        try self.init(store: store, notebook: notebook, output: output) {
            try store.beginRun(notebook: notebook?.path, source: source, parameters: parameters, metadata: metadata)
        }
    }

    /// Sets up the session and starts its run with `begin` (a new run, or a child run resuming another).
    init(store: LabStore, notebook: CellFile?, output: @escaping (String) -> Void, begin: () throws -> Int64) throws {
        self.store = store
        file = notebook?.path ?? "<shell>"
        lab = LabState(seed: 0)
        lab.folder = notebook.map { TextFile.folder(ofNotebook: $0.path) } ?? ""
        interpreter = Interpreter()
        interpreter.output = output
        for builtin in LabBuiltins.all(lab) { interpreter.builtins.register(builtin) }
        let lab = self.lab
        interpreter.isCancelled = { lab.isCancelled() }
        runID = try begin()
        lab.store = store
        lab.runID = runID
        interpreter.resolveVersion = LabBuiltins.versionResolver(lab)
        connectCharts()
    }

    /// Asks the running cell to stop at its next check point (safe to call from any thread, e.g. a signal watcher).
    public func cancel(_ reason: CancelRequest.Reason = .interrupt) { lab.cancellation.request(reason) }

    /// The request other threads set to cancel the running cell (`cancel(_:)` through it).
    public var cancelRequest: CancelRequest { lab.cancellation }

    /// A cancel request not yet acted on: one that arrived between cells, or after a cell's last check point.
    public var pendingCancel: CancelRequest.Reason? { lab.cancellation.reason }

    /// Runs a cell of the notebook file.
    public func execute(_ cell: Cell) -> CellOutcome {
        execute(source: cell.source, key: cell.key, title: cell.title, firstLine: cell.firstLine)
    }

    /// Runs one cell of source text (a shell input, or a cell of a file starting at `firstLine`). With `echo`, the
    /// value of a final expression is printed, as a shell does.
    public func execute(source: String, key: String, title: String, firstLine: Int = 1, echo: Bool = false)
        -> CellOutcome
    {
        ordinal += 1
        let record = CellRecord(ordinal: ordinal, key: key, title: title, source: source)
        let globalsBefore = interpreter.globals
        let labBefore = lab.snapshot()
        var output: [String] = []
        let sink = interpreter.output
        interpreter.output = { line in
            output.append(line)
            sink(line)
        }
        defer { interpreter.output = sink }
        let clock = ContinuousClock()
        let start = clock.now
        let elapsed: @Sendable () -> Double = {
            let d = clock.now - start
            return Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15
        }
        lab.deadline = cellTimeout.map { start + .nanoseconds(Int64(($0 * 1e9).rounded())) }
        defer { lab.deadline = nil }
        do {
            interpreter.currentCell = file == "<shell>" ? nil : (key, firstLine)
            let result = try interpreter.run(source: source, file: file, firstLine: firstLine)
            if echo, let result, !result.isNil { interpreter.output(result.quotedText) }
            let (bindings, objects) = BindingEncoder.encode(globals: interpreter.globals, rng: lab.rng)
            let commit = CellCommit(
                cell: record, output: output.joined(separator: "\n"), durationMs: elapsed(),
                objects: lab.checkpoints + objects, metrics: lab.metrics, bindings: bindings, artifacts: lab.artifacts,
                loads: lab.loads, elapsedMs: elapsed)
            let summary = try store.commit(run: runID, commit, progress: commitProgress)
            lab.metrics = []
            lab.checkpoints = []
            lab.artifacts = []
            lab.loads = []
            return .committed(summary, durationMs: elapsed())
        } catch {
            interpreter.globals = globalsBefore
            lab.restore(labBefore)
            // A cell stopped while a cancel request is pending was cancelled, whatever check point noticed it.
            let reason = lab.cancellation.reason
            let message =
                reason.map { cancellationReport(error, $0, source: source, firstLine: firstLine) }
                ?? Self.report(error, file: file, source: source, firstLine: firstLine)
            lab.cancellation.clear()
            do {
                try store.recordFailure(
                    run: runID, cell: record, output: output.joined(separator: "\n"), error: message,
                    durationMs: elapsed(), status: reason == nil ? .failed : .cancelled)
            } catch {
                return .failed(message + "\nerror: the failure could not be recorded in the store: \(error)")
            }
            return reason.map { .cancelled(message, $0) } ?? .failed(message)
        }
    }

    /// `5` for 5 seconds, `0.5` for half of one: as the user typed it.
    static func seconds(_ x: Double) -> String { x.rounded() == x && x < 1e15 ? String(Int(x)) : "\(x)" }

    /// A cancelled cell's error, located where it stopped: `nb.rlhf:9:1: error: cancelled`, or for a timeout
    /// `… error: cell exceeded --cell-timeout 5 s`.
    private func cancellationReport(
        _ error: any Error, _ reason: CancelRequest.Reason, source: String,
        firstLine: Int
    ) -> String {
        let message =
            switch reason {
            case .interrupt: RuntimeError.cancelledMessage
            case .terminate: "cancelled by SIGTERM"
            case .timeout: "cell exceeded --cell-timeout \(Self.seconds(cellTimeout ?? 0)) s"
            }
        if var list = error as? DiagnosticList, var first = list.diagnostics.first {
            first.message = message
            list.diagnostics = [first]
            return list.description
        }
        return Self.report(RuntimeError(message), file: file, source: source, firstLine: firstLine)
    }

    /// Marks the run finished.
    public func finish(status: RunStatus) throws {
        try store.finishRun(runID, status: status)
    }

    // MARK: For the shell

    public var builtinNames: [String] { interpreter.builtins.names }

    /// Words Tab may complete: variables, built-ins, and the labels of built-ins (`epochs:`).
    public var completionWords: [String] {
        interpreter.visibleNames + interpreter.builtins.all.flatMap { $0.signatures.flatMap(\.labels).map { $0 + ":" } }
            + memberCompletions
    }

    /// A built-in's signature and doc, a lab type's members, or both for a type's constructor (`PolicyModel`).
    public func help(_ name: String) -> String? {
        let parts = [interpreter.builtins.help(name), typeHelp(name)].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: "\n")
    }

    public var variables: [(name: String, summary: String)] {
        interpreter.globals.keys.sorted().compactMap { name in
            interpreter.globals[name].map { (name, $0.quotedText) }
        }
    }

    // MARK: Presentation helpers shared by `rlhf run` and the shell

    /// Every syntax error of every code cell, in file order.
    public static func syntaxErrors(in notebook: CellFile) -> [Diagnostic] {
        notebook.diagnostics()
    }

    /// Whether shell input still has an open bracket or string, so the shell should read another line.
    public static func needsMoreInput(_ source: String) -> Bool {
        OpenConstruct.innermost(in: source) != nil
    }
}
