import ArgumentParser
@preconcurrency import CReadline
import Foundation
import Language
import Notebook
import Store

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a notebook (.rlhf cell file) top to bottom, committing each cell's effects to the store.",
        discussion: """
            Every syntax error in the file is reported before anything runs. The run stops at the first failing cell \
            (exit code 1); cells before it stay committed, and the store records which cell failed and why.

            Ctrl-C (SIGINT) or SIGTERM cancels the running cell at its next check point: it is rolled back, recorded \
            as cancelled with its output so far, the run is recorded as cancelled, and rlhf exits 130 (SIGINT) or \
            143 (SIGTERM). A second signal exits at once with the same code (the run then reads interrupted). A cell \
            running past --cell-timeout is cancelled the same way and rlhf exits 124.
            """)

    @OptionGroup var store: StoreOptions
    @ArgumentParser.Argument(help: ArgumentHelp("The notebook to run.", valueName: "file")) var file: String
    @Flag(name: .shortAndLong, help: "Print only cell output and errors, no headers or commit lines.") var quiet = false
    @Option(
        name: .customLong("param"),
        help: ArgumentHelp(
            "Override an assignment of the `# %% parameters` cell with a literal (repeatable).", valueName: "name=value"
        ))
    var parameters: [String] = []
    @Flag(help: "Record a failing cell and run the rest (exit code 1 if any cell failed).") var continueOnError = false
    @Flag(help: "Report every syntax error and exit; run nothing and create no store.") var check = false
    @Option(
        help: ArgumentHelp(
            "Resume this run in a child run: restore everything it committed before the resume cell and run the rest.",
            valueName: "run")) var resume: Int64?
    @Option(
        help: ArgumentHelp(
            "With --resume, the cell to resume at: its number or its id= (default: the failed or interrupted cell).",
            valueName: "cell")) var fromCell: String?
    @Option(
        help: ArgumentHelp(
            "Cancel a cell that runs longer than this (recorded cancelled; exit code 124, or 1 with --continue-on-error).",
            valueName: "seconds")) var cellTimeout: Double?
    @Option(
        help: ArgumentHelp(
            "Run only these cells (ids or numbers, comma-separated), from the state committed before the first of them "
                + "by the latest run of this notebook (or by --resume RUN).",
            valueName: "ids")) var cells: String?
    @Option(
        help: ArgumentHelp(
            "Name the run (unique in the store; letters, digits, '-', '_', '.'); commands that take a run accept it.",
            valueName: "name")) var name: String?
    @Option(name: .customLong("tag"), help: ArgumentHelp("Tag the run (repeatable).", valueName: "tag"))
    var tags: [String] = []
    @Option(help: ArgumentHelp("A note recorded with the run.", valueName: "text")) var note: String?
    /// `SWEEP:POINT[:SEED]`: the run's place in a sweep; `rlhf sweep` passes it to the runs it starts.
    @Option(help: .hidden) var sweepMember: String?

    /// ``sweepMember`` read; a malformed one is a usage error.
    private func membership() throws -> SweepMembership? {
        guard let sweepMember else { return nil }
        let parts = sweepMember.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let sweep = Int64(parts[0]), let point = Int(parts[1]),
            parts.count == 2 || Int(parts[2]) != nil
        else { throw ValidationError("--sweep-member '\(sweepMember)' is not SWEEP:POINT[:SEED]") }
        return SweepMembership(sweep: sweep, point: point, seed: parts.count == 3 ? Int(parts[2]) : nil)
    }

    func validate() throws {
        if let cellTimeout, !(cellTimeout.isFinite && cellTimeout > 0 && cellTimeout <= 1e9) {
            throw ValidationError("--cell-timeout must be a number of seconds > 0 (at most 1e9), got '\(cellTimeout)'")
        }
        _ = try membership()
        do {
            if let name { try RunMetadata.checkName(name) }
            for tag in tags { try RunMetadata.checkTag(tag) }
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// What the run records about itself: the options, and where it runs.
    private var metadata: RunMetadata {
        RunMetadata(
            name: name, note: note, tags: tags, environment: .current(notebook: file), sweep: try? membership())
    }

    func run() throws {
        // Line-buffered even into a pipe or file, so every line printed before a signal or a crash reaches it.
        rlhf_line_buffer_stdout()
        let (text, parsed) = try readNotebook(file)
        if parsed.codeCells.isEmpty {
            // An empty or prose-only file is a wrong file, not an empty success: record no run.
            printError("\(file): error: no code cells (code follows a `# %%` line or starts the file); nothing was run")
            throw ExitCode.failure
        }
        let overrides = try failing { try NotebookParameters.parse(parameters) }
        let (notebook, effective) = try failing { try overrides.apply(to: parsed) }
        if check {
            print("\(file): no syntax errors in \(parsed.codeCells.count) cells")
            return
        }
        // Resuming or running some cells needs recorded runs: a missing store is an error, not a new file.
        let lab = try resume == nil && cells == nil ? store.open() : store.openExisting()
        let plan = try planned(notebook, lab)
        let point = try failing { try plan.resumePoint(in: lab) }
        let recorded = try failing {
            try plan.recordedParameters(overrides, effective: effective, notebook: notebook, point: point, store: lab)
        }
        try failing { try plan.requireSameNotebook(lab) }
        let runner = try failing {
            guard let point else {
                return try NotebookRunner(
                    store: lab, notebook: notebook, source: text, parameters: recorded, metadata: metadata,
                    output: { print($0) })
            }
            return try NotebookRunner(
                store: lab, notebook: notebook, source: text, parameters: recorded, resuming: point,
                metadata: metadata, output: { print($0) })
        }
        runner.cellTimeout = cellTimeout
        RunSignalWatcher(request: runner.cancelRequest).start()
        let progress = ProgressReporter(quiet: quiet)
        runner.progress = progress.update
        runner.commitProgress = progress.updateCommit
        runner.chartWidth = TerminalSize.columns
        let total = notebook.codeCells.count
        if !quiet {
            print("run \(runner.runID) · \(file) · \(total) cell\(total == 1 ? "" : "s") · store \(store.path)")
        }
        let first = runner.firstCell
        if !quiet, let parent = plan.parent {
            let restored = first > 1 ? "cells 1–\(first - 1) restored from its commits" : "nothing to restore"
            let how = plan.selected == nil ? "resuming" : "running cells of"
            print("\(how) run \(parent) at cell \(first); \(restored)")
        }
        let printer = RunPrinter(quiet: quiet, total: total, progress: progress)
        let executor = CellExecutor(runner: runner, observer: printer)
        let ending = try failing { try executor.run(plan.steps(notebook, firstCell: first), onFailure: plan.onFailure) }
            .ending
        let id = runner.runID
        switch ending {
        case let .cancelled(cell, _, started: false):
            // A signal that arrived after the previous cell's last check point: stop before this cell.
            try? executor.finish(ending)
            printError("run \(id) cancelled before cell \(cell.position) ('\(cell.key)'); earlier cells are committed")
        case let .cancelled(cell, _, started: true):
            try? executor.finish(ending)
            printError(
                "run \(id) cancelled at cell \(cell.position) ('\(cell.key)'); it was rolled back and "
                    + "recorded; earlier cells are committed")
        case let .stopped(cell):
            try? executor.finish(ending)
            printError("run \(id) stopped at cell \(cell.position) ('\(cell.key)'); earlier cells are committed")
        case let .finished(failures) where !failures.isEmpty:
            try failing { try executor.finish(ending) }
            let list = failures.map { "\($0.position) ('\($0.key)')" }.joined(separator: ", ")
            printError("run \(id): \(failures.count) of \(total) cells failed: \(list)")
        case .finished:
            try failing { try executor.finish(ending) }
            if first > total, !quiet { print("\nnothing left to run after cell \(total)") }
            let ran = plan.cellsToRun(codeCells: total, firstCell: first)
            if !quiet { print("\nrun \(id) succeeded: \(ran) cell\(ran == 1 ? "" : "s") committed") }
        }
        if ending.exitCode != 0 { throw ExitCode(ending.exitCode) }
    }

    /// The run's plan; a misuse of the options is reported with the usage, as argument parsing reports it.
    private func planned(_ notebook: CellFile, _ lab: LabStore) throws -> RunPlan {
        do {
            return try RunPlan(
                notebook: notebook, cells: cells, resume: resume, fromCell: fromCell, continueOnError: continueOnError,
                latestRun: { try lab.runs().last(where: { $0.notebook == file })?.id })
        } catch let error as RunPlanError where error.isUsage {
            throw ValidationError(error.description)
        } catch {
            return try failing { throw error }
        }
    }
}

/// Prints what `rlhf run` executes: markdown between cells, a header before each cell, its commit line or error.
private final class RunPrinter: CellExecutionObserver {
    let quiet: Bool
    let total: Int
    let progress: ProgressReporter

    init(quiet: Bool, total: Int, progress: ProgressReporter) {
        self.quiet = quiet
        self.total = total
        self.progress = progress
    }

    func executorReached(prose text: String) {
        if !quiet { print(text) }
    }

    func executorWillRun(_ cell: PlannedCell) {
        if !quiet { print("\n── [\(cell.position)/\(total)] \(cell.title.isEmpty ? cell.key : cell.title) ──") }
    }

    func executorDidRun(_ cell: PlannedCell, outcome: CellOutcome) {
        progress.finish()
        switch outcome {
        case let .committed(summary, ms):
            if !quiet { print(Format.commit(summary, durationMs: ms)) }
        case let .failed(message), let .cancelled(message, _):
            printError(message)
        }
    }
}
