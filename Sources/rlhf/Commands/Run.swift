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
    @Option(help: ArgumentHelp(
        "Resume this run in a child run: restore everything it committed before the resume cell and run the rest.",
        valueName: "run")) var resume: Int64?
    @Option(help: ArgumentHelp(
        "With --resume, the cell to resume at: its number or its id= (default: the failed or interrupted cell).",
        valueName: "cell")) var fromCell: String?

    func run() throws {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            printError("error: cannot read notebook '\(file)': \((error as NSError).localizedDescription)")
            throw ExitCode.failure
        }
        let notebook = CellFile.parse(path: file, text: text)
        let syntaxErrors = NotebookRunner.syntaxErrors(in: notebook)
        if !syntaxErrors.isEmpty {
            for e in syntaxErrors { printError(e.description) }
            printError("\(syntaxErrors.count) error\(syntaxErrors.count == 1 ? "" : "s") in \(file); nothing was run")
            throw ExitCode.failure
        }
        let lab = try store.open()
        let start = try resumeCell(notebook)
        let runner = try failing {
            guard let resume else {
                return try NotebookRunner(store: lab, notebook: notebook, source: text, output: { print($0) })
            }
            let point = try lab.resumePoint(run: resume, fromCell: start)
            return try NotebookRunner(store: lab, notebook: notebook, source: text, resuming: point, output: { print($0) })
        }
        let total = notebook.cells.filter { $0.kind == .code }.count
        if !quiet { print("run \(runner.runID) · \(file) · \(total) cells · store \(store.path)") }
        let first = runner.firstCell
        if !quiet, let resume { print("resuming run \(resume) at cell \(first); cells 1–\(first - 1) restored from its commits") }
        var index = 0
        for cell in notebook.cells {
            if cell.kind == .markdown {
                if !quiet && index + 1 >= first { print(cell.markdownText.trimmingCharacters(in: .whitespacesAndNewlines)) }
                continue
            }
            index += 1
            if index < first { continue }
            if !quiet { print("\n── [\(index)/\(total)] \(cell.title.isEmpty ? cell.key : cell.title) ──") }
            switch runner.execute(cell) {
            case let .committed(summary, ms):
                if !quiet { print(Format.commit(summary, durationMs: ms)) }
            case let .failed(message):
                printError(message)
                try? runner.finish(status: .failed)
                printError("run \(runner.runID) stopped at cell \(index) ('\(cell.key)'); earlier cells are committed")
                throw ExitCode.failure
            }
        }
        try failing { try runner.finish(status: .succeeded) }
        if first > total, !quiet { print("\nnothing left to run after cell \(total)") }
        if !quiet { print("\nrun \(runner.runID) succeeded: \(total) cells committed") }
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
}
