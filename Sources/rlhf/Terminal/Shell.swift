import ArgumentParser
import Foundation
import Language
import Notebook
import Store

/// The interactive shell: each input is a cell of a run that lasts until `:quit` or Ctrl-D.
struct Shell {
    let storePath: String
    /// Progress of long built-ins, on stderr.
    let progress = ProgressReporter(quiet: false)

    func run() throws {
        let lab = try failing { try LabStore(path: storePath) }
        let history = ProcessInfo.processInfo.environment["HOME"].map { $0 + "/.rlhf_history" }
        let runner = try failing {
            try NotebookRunner(
                store: lab, notebook: nil, source: "", metadata: RunMetadata(environment: .current(notebook: nil)),
                output: { print($0) })
        }
        runner.progress = progress.update
        runner.commitProgress = progress.updateCommit
        runner.chartWidth = TerminalSize.columns
        let reader = LineReader(
            historyPath: history, completions: { runner.completionWords + ShellCommands.names })
        let printer = ShellCellPrinter(reader: reader, runner: runner, progress: progress)
        let executor = CellExecutor(runner: runner, observer: printer)
        let commands = ShellCommands(storePath: storePath, store: lab, executor: executor)
        if reader.interactive {
            print(
                "RLHF Lab shell · run \(runner.runID) · store \(storePath) · :help for commands, :quit or Ctrl-D to leave"
            )
        }
        var status = RunStatus.succeeded
        defer {
            reader.close()
            try? runner.finish(status: status)
        }
        let prompt = reader.interactive ? "rlhf[\(runner.runID)]> " : ""
        var shellLine = 1
        reading: while true {
            var source: String
            switch reader.readLine(prompt: prompt) {
            case .end: break reading
            case .cancelled: continue reading
            case .text(let line): source = line
            }
            var scanner = OpenConstruct.Scanner()
            scanner.scan(line: source)
            while scanner.innermost != nil {
                switch reader.readLine(prompt: reader.interactive ? "...> " : "") {
                case .end:
                    // The statement can never be completed: say so rather than drop it, and fail like any bad input.
                    if let open = scanner.innermost {
                        // Located like every other shell error: in the one long `<shell>` file (see below).
                        let location = SourceLocation(
                            file: "<shell>", line: shellLine + open.line - 1, column: open.column)
                        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
                        let quoted = lines.indices.contains(open.line - 1) ? String(lines[open.line - 1]) : nil
                        printError(
                            Diagnostic(location: location, message: open.message, sourceLine: quoted).description)
                    }
                    status = .failed
                    break reading
                case .cancelled: continue reading
                case .text(let more):
                    source += "\n" + more
                    scanner.scan(line: more)
                }
            }
            let trimmed = source.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix(":") {
                if trimmed == ":quit" || trimmed == ":q" { break }
                if !commands.run(trimmed) && !reader.interactive { status = .failed }
                continue
            }
            // Inputs are numbered as lines of one long `<shell>` file, so an error in a function defined earlier
            // quotes the line it was defined on, not the current input's.
            let firstLine = shellLine
            shellLine += source.split(separator: "\n", omittingEmptySubsequences: false).count
            let cell = PlannedCell(
                position: 1, key: commands.nextKey(), title: "shell", source: source, firstLine: firstLine, echo: true)
            if !commands.execute(cell) && !reader.interactive {
                status = .failed
            }
        }
        // A script piped into the shell fails like `rlhf run` does when one of its inputs failed.
        if status == .failed { throw ExitCode.failure }
    }
}

/// Prints what the shell executes (a commit line when a cell stored something, errors) and, while a cell runs,
/// turns Ctrl-C into a cancel request.
final class ShellCellPrinter: CellExecutionObserver {
    private let reader: LineReader
    private let runner: NotebookRunner
    private let progress: ProgressReporter
    private var watcher: InterruptWatcher?

    init(reader: LineReader, runner: NotebookRunner, progress: ProgressReporter) {
        self.reader = reader
        self.runner = runner
        self.progress = progress
    }

    func executorWillRun(_ cell: PlannedCell) {
        let watcher = InterruptWatcher(reader: reader, runner: runner)
        watcher.start()
        self.watcher = watcher
    }

    func executorDidRun(_ cell: PlannedCell, outcome: CellOutcome) {
        watcher?.stop()
        watcher = nil
        progress.finish()
        runner.clearCancel()
        switch outcome {
        case .committed(let summary, let ms):
            let stored = !summary.newVersions.isEmpty || summary.metrics > 0 || summary.artifacts > 0
            if reader.interactive && stored { print(Format.commit(summary, durationMs: ms)) }
        case .failed(let message):
            printError(message)
        case .cancelled(let message, _):
            printError(message)
            printError("note: Ctrl-C cancelled the cell; its effects were rolled back and the session is as before it")
        }
    }
}

/// While a cell runs, turns Ctrl-C into a cancel request for the runner (long built-ins and loops poll it).
final class InterruptWatcher: @unchecked Sendable {
    private let reader: LineReader
    private let runner: NotebookRunner
    private let lock = NSLock()
    private var running = false
    private let finished = DispatchSemaphore(value: 0)

    init(reader: LineReader, runner: NotebookRunner) {
        self.reader = reader
        self.runner = runner
    }

    func start() {
        guard reader.interactive else { return }
        _ = reader.takeInterrupt()
        lock.withLock { running = true }
        let thread = Thread { [self] in
            while lock.withLock({ running }) {
                if reader.takeInterrupt() {
                    runner.cancel()
                }
                usleep(20_000)
            }
            finished.signal()
        }
        thread.start()
    }

    /// Returns once the watching thread has stopped, so no late Ctrl-C can cancel the next cell.
    func stop() {
        guard reader.interactive else { return }
        lock.withLock { running = false }
        finished.wait()
    }
}
