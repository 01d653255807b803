import ArgumentParser
import Foundation
import Notebook
import Store

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a notebook (.rlhf cell file) top to bottom, committing each cell's effects to the store.",
        discussion: """
            Every syntax error in the file is reported before anything runs. The run stops at the first failing cell \
            (exit code 1); cells before it stay committed, and the store records which cell failed and why.
            """)

    @OptionGroup var store: StoreOptions
    @ArgumentParser.Argument(help: ArgumentHelp("The notebook to run.", valueName: "file")) var file: String
    @Flag(name: .shortAndLong, help: "Print only cell output and errors, no headers or commit lines.") var quiet = false
    @Option(name: .customLong("param"), help: ArgumentHelp(
        "Override an assignment of the `# %% parameters` cell with a literal (repeatable).", valueName: "name=value"))
    var parameters: [String] = []
    @Flag(help: "Record a failing cell and run the rest (exit code 1 if any cell failed).") var continueOnError = false
    @Flag(help: "Report every syntax error and exit; run nothing and create no store.") var check = false

    func run() throws {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            printError("error: cannot read notebook '\(file)': \((error as NSError).localizedDescription)")
            throw ExitCode.failure
        }
        let parsed = CellFile.parse(path: file, text: text)
        let syntaxErrors = NotebookRunner.syntaxErrors(in: parsed)
        if !syntaxErrors.isEmpty {
            for e in syntaxErrors { printError(e.description) }
            printError("\(syntaxErrors.count) error\(syntaxErrors.count == 1 ? "" : "s") in \(file); nothing was run")
            throw ExitCode.failure
        }
        let (notebook, effective) = try failing { try NotebookParameters.parse(parameters).apply(to: parsed) }
        if check {
            print("\(file): no syntax errors in \(parsed.codeCells.count) cells")
            return
        }
        let lab = try store.open()
        let runner = try failing {
            try NotebookRunner(store: lab, notebook: notebook, source: text, parameters: effective, output: { print($0) })
        }
        let progress = ProgressReporter(quiet: quiet)
        runner.progress = progress.update
        runner.chartWidth = TerminalSize.columns
        var failures: [String] = []
        let total = notebook.cells.filter { $0.kind == .code }.count
        if !quiet { print("run \(runner.runID) · \(file) · \(total) cells · store \(store.path)") }
        var index = 0
        for cell in notebook.cells {
            if cell.kind == .markdown {
                if !quiet { print(cell.markdownText.trimmingCharacters(in: .whitespacesAndNewlines)) }
                continue
            }
            index += 1
            if !quiet { print("\n── [\(index)/\(total)] \(cell.title.isEmpty ? cell.key : cell.title) ──") }
            let outcome = runner.execute(cell)
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
            }
        }
        if !failures.isEmpty {
            try failing { try runner.finish(status: .failed) }
            printError("run \(runner.runID): \(failures.count) of \(total) cells failed: \(failures.joined(separator: ", "))")
            throw ExitCode.failure
        }
        try failing { try runner.finish(status: .succeeded) }
        if !quiet { print("\nrun \(runner.runID) succeeded: \(total) cells committed") }
    }
}
