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
    @Option(name: .customLong("param"), help: ArgumentHelp(
        "Override an assignment of the `# %% parameters` cell with a literal (repeatable).", valueName: "name=value"))
    var parameters: [String] = []
    @Flag(help: "Record a failing cell and run the rest (exit code 1 if any cell failed).") var continueOnError = false
    @Flag(help: "Report every syntax error and exit; run nothing and create no store.") var check = false
    @Option(help: ArgumentHelp(
        "Resume this run in a child run: restore everything it committed before the resume cell and run the rest.",
        valueName: "run")) var resume: Int64?
    @Option(help: ArgumentHelp(
        "With --resume, the cell to resume at: its number or its id= (default: the failed or interrupted cell).",
        valueName: "cell")) var fromCell: String?
    @Option(help: ArgumentHelp(
        "Cancel a cell that runs longer than this (recorded cancelled; exit code 124, or 1 with --continue-on-error).",
        valueName: "seconds")) var cellTimeout: Double?
    @Option(help: ArgumentHelp(
        "Run only these cells (ids or numbers, comma-separated), from the state committed before the first of them "
            + "by the latest run of this notebook (or by --resume RUN).",
        valueName: "ids")) var cells: String?

    /// Exit code of a run stopped by `--cell-timeout` (as timeout(1) uses).
    static let timeoutExitCode: Int32 = 124

    func validate() throws {
        if let cellTimeout, !(cellTimeout.isFinite && cellTimeout > 0 && cellTimeout <= 1e9) {
            throw ValidationError("--cell-timeout must be a number of seconds > 0 (at most 1e9), got '\(cellTimeout)'")
        }
    }

    func run() throws {
        // Line-buffered even into a pipe or file, so every line printed before a signal or a crash reaches it.
        rlhf_line_buffer_stdout()
        let text: String
        do {
            text = try CellFile.readText(path: file)
        } catch let diagnostic as Diagnostic {
            printError(diagnostic.description)
            throw ExitCode.failure
        } catch {
            let reason = (error as? UnreadableNotebook)?.reason ?? FileProblem.reason(error)
            printError("error: cannot read notebook '\(file)': \(reason)")
            throw ExitCode.failure
        }
        let parsed = CellFile.parse(path: file, text: text)
        let syntaxErrors = NotebookRunner.syntaxErrors(in: parsed)
        if !syntaxErrors.isEmpty {
            for e in syntaxErrors { printError(e.description) }
            printError("\(syntaxErrors.count) error\(syntaxErrors.count == 1 ? "" : "s") in \(file); nothing was run")
            throw ExitCode.failure
        }
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
        let selected = try selectedCells(notebook)
        let start = try selected?.first ?? resumeCell(notebook)
        let parent = try failing { () throws -> Int64? in
            guard selected != nil, resume == nil, let first = selected?.first, first > 1 else { return resume }
            guard let latest = try lab.runs().last(where: { $0.notebook == file }) else {
                throw ValidationError("no earlier run of \(file) holds the state before cell \(first); run it once first")
            }
            return latest.id
        }
        let point = try failing { try parent.map { try lab.resumePoint(run: $0, fromCell: start) } }
        let recorded = try failing { try recordedParameters(overrides, effective, notebook, lab, point, selected) }
        if let resume { try failing { try requireSameNotebook(lab, run: resume) } }
        let runner = try failing {
            guard let point else {
                return try NotebookRunner(
                    store: lab, notebook: notebook, source: text, parameters: recorded, output: { print($0) })
            }
            return try NotebookRunner(
                store: lab, notebook: notebook, source: text, parameters: recorded, resuming: point,
                output: { print($0) })
        }
        runner.cellTimeout = cellTimeout
        RunSignalWatcher(request: runner.cancelRequest).start()
        let progress = ProgressReporter(quiet: quiet)
        runner.progress = progress.update
        runner.chartWidth = TerminalSize.columns
        var failures: [String] = []
        let total = notebook.cells.filter { $0.kind == .code }.count
        if !quiet { print("run \(runner.runID) · \(file) · \(total) cell\(total == 1 ? "" : "s") · store \(store.path)") }
        let first = runner.firstCell
        if !quiet, let parent {
            let restored = first > 1 ? "cells 1–\(first - 1) restored from its commits" : "nothing to restore"
            print("\(selected == nil ? "resuming" : "running cells of") run \(parent) at cell \(first); \(restored)")
        }
        var index = 0
        for cell in notebook.cells {
            if cell.kind == .markdown {
                if !quiet && index + 1 >= first { print(cell.markdownText.trimmingCharacters(in: .whitespacesAndNewlines)) }
                continue
            }
            index += 1
            if index < first || selected.map({ !$0.contains(index) }) == true { continue }
            if let reason = runner.pendingCancel {
                // A signal that arrived after the previous cell's last check point: stop before this cell.
                try? runner.finish(status: .cancelled)
                printError("run \(runner.runID) cancelled before cell \(index) ('\(cell.key)'); earlier cells are committed")
                throw ExitCode(Self.exitCode(reason))
            }
            if !quiet { print("\n── [\(index)/\(total)] \(cell.title.isEmpty ? cell.key : cell.title) ──") }
            let outcome = runner.execute(cell, ordinal: index)
            progress.finish()
            switch outcome {
            case let .committed(summary, ms):
                if !quiet { print(Format.commit(summary, durationMs: ms)) }
            case let .failed(message):
                printError(message)
                if continueOnError {
                    failures.append("\(index) ('\(cell.key)')")
                    continue
                }
                try? runner.finish(status: .failed)
                printError("run \(runner.runID) stopped at cell \(index) ('\(cell.key)'); earlier cells are committed")
                throw ExitCode.failure
            case let .cancelled(message, reason):
                printError(message)
                if reason == .timeout && continueOnError {
                    failures.append("\(index) ('\(cell.key)')")
                    runner.clearCancel()
                    continue
                }
                try? runner.finish(status: .cancelled)
                printError("run \(runner.runID) cancelled at cell \(index) ('\(cell.key)'); it was rolled back and "
                    + "recorded; earlier cells are committed")
                throw ExitCode(Self.exitCode(reason))
            }
        }
        if !failures.isEmpty {
            try failing { try runner.finish(status: .failed) }
            printError("run \(runner.runID): \(failures.count) of \(total) cells failed: \(failures.joined(separator: ", "))")
            throw ExitCode.failure
        }
        try failing { try runner.finish(status: .succeeded) }
        if first > total, !quiet { print("\nnothing left to run after cell \(total)") }
        let ran = selected?.count ?? (total - first + 1)
        if !quiet { print("\nrun \(runner.runID) succeeded: \(ran) cell\(ran == 1 ? "" : "s") committed") }
    }

    /// The parameters this run records: the effective ones when it runs the parameters cell, the parent's when it
    /// restores that cell's values, none when it skips it; `--param` that cannot take effect is refused.
    private func recordedParameters(
        _ overrides: NotebookParameters, _ effective: String, _ notebook: CellFile, _ lab: LabStore,
        _ point: ResumePoint?, _ selected: [Int]?
    ) throws -> String {
        let standing = NotebookParameters.standing(in: notebook, first: point?.cell ?? 1, selected: selected)
        let how = cells.map { "--cells \($0)" } ?? "--resume \(point?.parent ?? 0) at cell \(point?.cell ?? 1)"
        try overrides.requireEffect(standing, how: how)
        switch standing {
        case .runs: return effective
        case .restored: return try point.map { try lab.run($0.parent).run.parameters } ?? "{}"
        case .skipped: return "{}"
        }
    }

    /// A run is resumed with the notebook it ran: restoring one notebook's state under another's cells would record
    /// a history no notebook produced. Paths are compared as typed, then as the files they resolve to.
    private func requireSameNotebook(_ lab: LabStore, run: Int64) throws {
        let ran = try lab.run(run).run.notebook
        func resolved(_ path: String) -> String {
            URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        }
        if let ran, ran == file || resolved(ran) == resolved(file) { return }
        let what = ran.map { "ran '\($0)'" } ?? "ran in the shell"
        throw StoreError.cannotResume(run, reason: "it \(what), not '\(file)'; resume it with its own notebook")
    }

    /// 130 after SIGINT, 143 after SIGTERM, 124 after `--cell-timeout`.
    static func exitCode(_ reason: CancelRequest.Reason) -> Int32 {
        switch reason {
        case .interrupt: RunSignalWatcher.exitCode(SIGINT)
        case .terminate: RunSignalWatcher.exitCode(SIGTERM)
        case .timeout: timeoutExitCode
        }
    }

    /// `--from-cell` as an ordinal: a number, or the `id=` of a code cell of this notebook.
    private func resumeCell(_ notebook: CellFile) throws -> Int? {
        guard let fromCell else { return nil }
        guard resume != nil else { throw ValidationError("--from-cell needs --resume RUN") }
        if let number = Int(fromCell) { return number }
        let keys = notebook.cells.filter { $0.kind == .code }.map(\.key)
        guard let index = keys.firstIndex(of: fromCell) else {
            printError("error: no cell with id '\(fromCell)' in \(file) (cells: \(keys.joined(separator: ", ")))")
            throw ExitCode.failure
        }
        return index + 1
    }

    /// `--cells a,b` as sorted ordinals; each entry an `id=` or a number of a code cell.
    private func selectedCells(_ notebook: CellFile) throws -> [Int]? {
        guard let cells else { return nil }
        if fromCell != nil { throw ValidationError("use either --cells or --from-cell") }
        let keys = notebook.cells.filter { $0.kind == .code }.map(\.key)
        let ordinals = try cells.split(separator: ",").map { part -> Int in
            let entry = part.trimmingCharacters(in: .whitespaces)
            if let number = Int(entry), (1...keys.count).contains(number) { return number }
            guard let index = keys.firstIndex(of: entry) else {
                printError("error: no cell '\(entry)' in \(file) (cells: \(keys.joined(separator: ", ")))")
                throw ExitCode.failure
            }
            return index + 1
        }
        guard !ordinals.isEmpty else { throw ValidationError("--cells needs at least one cell") }
        return Array(Set(ordinals)).sorted()
    }
}
