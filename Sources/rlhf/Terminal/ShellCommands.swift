import ArgumentParser
import Foundation
import Language
import Notebook
import Store

/// The shell's meta-commands (`:help`, `:vars`, `:runs`, `:cells`, `:log`, `:diff`, `:rollback`, `:load`). Store
/// listings print exactly what the matching `rlhf` command prints.
final class ShellCommands {
    /// Every meta-command with its arguments and one line of help, in the order `:help` lists them.
    static let table: [(name: String, arguments: String, help: String)] = [
        (":help", "[NAME]", "list commands and built-ins, or describe the built-in or type NAME"),
        (":vars", "", "the session's variables and their values"),
        (":runs", "", "every run in the store (as `rlhf runs`)"),
        (":cells", "", "the cells of this session's run so far"),
        (":log", "NAME", "versions of a model or dataset of this run, or RUN/NAME (as `rlhf log`)"),
        (":diff", "A B", "compare two versions, NAME@N or RUN/NAME@N (as `rlhf diff`)"),
        (":rollback", "NAME N", "make version N of NAME current again, in the store and in the session"),
        (":load", "FILE", "run every code cell of a notebook file in this session"),
        (":quit", "", "close the run and leave (also Ctrl-D)"),
    ]

    static var names: [String] { table.map(\.name) }

    let storePath: String
    let store: LabStore
    let executor: CellExecutor
    var runner: NotebookRunner { executor.runner }
    private var cellCount = 0

    init(storePath: String, store: LabStore, executor: CellExecutor) {
        self.storePath = storePath
        self.store = store
        self.executor = executor
    }

    /// The key of the next shell cell: its position in the session.
    func nextKey() -> String {
        cellCount += 1
        return "\(cellCount)"
    }

    /// Runs shell cells until one fails (its error is printed); how that ended, nil if it could not run.
    func execute(_ steps: [PlannedStep]) -> CellExecutor.Execution? {
        do {
            return try executor.run(steps, onFailure: .stopAtFirstFailure)
        } catch {
            printError("error: \(error)")
            return nil
        }
    }

    /// Runs one shell input; false if it failed.
    func execute(_ cell: PlannedCell) -> Bool {
        execute([.cell(cell)])?.ending.exitCode == 0
    }

    /// Runs one meta-command line; false when it failed (its error is printed).
    func run(_ line: String) -> Bool {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let command = words[0]
        let arguments = Array(words.dropFirst())
        func usage() -> Bool {
            let entry = Self.table.first { $0.name == command }
            let arguments = entry?.arguments ?? ""
            printError("error: usage: \(command)" + (arguments.isEmpty ? " (no arguments)" : " " + arguments))
            return false
        }
        switch command {
        case ":help":
            if let name = arguments.first {
                guard let help = runner.help(name) else {
                    printError(
                        "error: no built-in named '\(name)'"
                            + Diagnostic.didYouMean(name, among: runner.builtinNames + NotebookRunner.typeNames))
                    return false
                }
                print(help)
                return true
            }
            let width = Self.table.map { $0.name.count + $0.arguments.count + 1 }.max() ?? 0
            for entry in Self.table {
                let left = entry.name + (entry.arguments.isEmpty ? "" : " " + entry.arguments)
                print(left.padding(toLength: width + 2, withPad: " ", startingAt: 0) + entry.help)
            }
            print("\nbuilt-ins: " + runner.builtinNames.joined(separator: ", "))
            print("types (:help TYPE lists its members): " + NotebookRunner.typeNames.joined(separator: ", "))
            print("Tab completes names and labels; Ctrl-C cancels the running cell or clears the line.")
            return true
        case ":vars":
            guard arguments.isEmpty else { return usage() }
            let variables = runner.variables
            print(
                variables.isEmpty
                    ? "no variables yet" : variables.map { "\($0.name) = \($0.summary)" }.joined(separator: "\n"))
            return true
        case ":runs":
            guard arguments.isEmpty else { return usage() }
            return subcommand(Runs.self, [])
        case ":cells":
            guard arguments.isEmpty else { return usage() }
            return cells()
        case ":log":
            guard arguments.count == 1 else { return usage() }
            return subcommand(Log.self, [qualified(arguments[0])])
        case ":diff":
            guard arguments.count == 2 else { return usage() }
            return subcommand(Diff.self, [qualified(arguments[0]), qualified(arguments[1])])
        case ":rollback":
            guard arguments.count == 2, let version = Int(arguments[1]) else { return usage() }
            do {
                let info = try runner.rollback(arguments[0], to: version)
                print(
                    "\(info.object)@\(info.version) = v\(version) (hash \(Format.hash(info.contentHash))); "
                        + "'\(info.object)' now holds it")
                return true
            } catch {
                printError("error: \(error)")
                return false
            }
        case ":load":
            guard arguments.count == 1 else { return usage() }
            return load(arguments[0])
        default:
            printError(
                "error: unknown command '\(command)'" + Diagnostic.didYouMean(command, among: Self.names)
                    + " (:help lists them)")
            return false
        }
    }

    /// `policy@2` → `7/policy@2` for this session's run; `3/policy@2` stays as written.
    private func qualified(_ reference: String) -> String {
        reference.contains("/") ? reference : "\(runner.runID)/\(reference)"
    }

    /// Runs an `rlhf` subcommand against this store, so the shell prints what the command line would.
    private func subcommand<C: ParsableCommand>(_ type: C.Type, _ arguments: [String]) -> Bool {
        do {
            var parsed = try type.parse(arguments + ["--store", storePath])
            try parsed.run()
            return true
        } catch is ExitCode {
            return false
        } catch {
            printError("error: \(type.message(for: error))")
            return false
        }
    }

    private func cells() -> Bool {
        do {
            let detail = try store.run(runner.runID)
            if detail.cells.isEmpty {
                print("no cells yet")
                return true
            }
            print(
                Format.table(
                    ["CELL", "STATUS", "TIME", "COMMIT", "SOURCE"],
                    detail.cells.map { cell in
                        let firstLine = cell.source.split(separator: "\n").first.map(String.init) ?? ""
                        let more = cell.source.contains("\n") ? " …" : ""
                        return [
                            "\(cell.ordinal)", cell.status.rawValue, Format.milliseconds(cell.durationMs),
                            cell.commit.map { "\($0)" } ?? "-", String(firstLine.prefix(60)) + more,
                        ]
                    }))
            return true
        } catch {
            printError("error: \(error)")
            return false
        }
    }

    /// Checks the whole file for syntax errors first, then runs its code cells until one fails.
    private func load(_ path: String) -> Bool {
        let notebook: CellFile
        do {
            notebook = try CellFile.load(path: path)
        } catch let diagnostic as Diagnostic {
            printError(diagnostic.description)
            return false
        } catch {
            let reason = (error as? UnreadableNotebook)?.reason ?? FileProblem.reason(error)
            printError("error: cannot read notebook '\(path)': \(reason)")
            return false
        }
        let errors = NotebookRunner.syntaxErrors(in: notebook)
        guard errors.isEmpty else {
            for error in errors { printError(error.description) }
            printError("\(errors.count) error\(errors.count == 1 ? "" : "s") in \(path); nothing was run")
            return false
        }
        // Loaded cells are keyed as shell inputs are: by their position in the session.
        let steps = notebook.codeCells.enumerated().map { offset, cell in
            PlannedStep.cell(
                PlannedCell(
                    position: offset + 1, key: "\(cellCount + offset + 1)",
                    title: "\(path): " + (cell.title.isEmpty ? cell.key : cell.title), source: cell.source,
                    firstLine: cell.firstLine, file: path, echo: true))
        }
        guard let execution = execute(steps) else { return false }
        cellCount += execution.cells.count
        switch execution.ending {
        case .stopped(let cell), .cancelled(let cell, _, _):
            let key = notebook.codeCells[cell.position - 1].key
            printError("\(path): stopped at cell '\(key)'; earlier cells are committed")
            return false
        case .finished:
            break
        }
        print("\(path): \(notebook.codeCells.count) cells run")
        return true
    }
}
