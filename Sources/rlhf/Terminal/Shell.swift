import ArgumentParser
import Foundation
import Notebook
import Store

/// The interactive shell: each input is a cell of a run that lasts until `:quit` or Ctrl-D.
struct Shell {
    let storePath: String

    func run() throws {
        let lab = try failing { try LabStore(path: storePath) }
        let history = ProcessInfo.processInfo.environment["HOME"].map { $0 + "/.rlhf_history" }
        let runner = try failing { try NotebookRunner(store: lab, notebook: nil, source: "", output: { print($0) }) }
        let progress = ProgressReporter(quiet: false)
        runner.progress = progress.update
        runner.chartWidth = TerminalSize.columns
        let reader = LineReader(historyPath: history, completions: { runner.completionWords + Shell.metaCommands })
        if reader.interactive {
            print("RLHF Lab shell · run \(runner.runID) · store \(storePath) · :help for commands, :quit or Ctrl-D to leave")
        }
        var cellNumber = 0
        var status = RunStatus.succeeded
        defer {
            reader.close()
            try? runner.finish(status: status)
        }
        while let first = reader.readLine(prompt: reader.interactive ? "rlhf[\(runner.runID)]> " : "") {
            var source = first
            while NotebookRunner.needsMoreInput(source),
                  let more = reader.readLine(prompt: reader.interactive ? "...> " : "") {
                source += "\n" + more
            }
            let trimmed = source.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix(":") {
                if trimmed == ":quit" || trimmed == ":q" { break }
                print(meta(trimmed, runner: runner))
                continue
            }
            cellNumber += 1
            let outcome = runner.execute(source: source, key: "\(cellNumber)", title: "shell", echo: true)
            progress.finish()
            switch outcome {
            case let .committed(summary, ms):
                let stored = !summary.newVersions.isEmpty || summary.metrics > 0 || summary.artifacts > 0
                if reader.interactive && stored { print(Format.commit(summary, durationMs: ms)) }
            case let .failed(message):
                printError(message)
                if !reader.interactive { status = .failed }
            }
        }
    }

    static let metaCommands = [":help", ":vars", ":quit"]

    private func meta(_ command: String, runner: NotebookRunner) -> String {
        let parts = command.split(separator: " ", maxSplits: 1).map(String.init)
        switch parts[0] {
        case ":help":
            if parts.count > 1 { return runner.help(parts[1]) ?? "no built-in named '\(parts[1])'" }
            return """
                :help [NAME]   list built-ins, or describe one
                :vars          variables of this session
                :quit          close the run and leave (also Ctrl-D)
                """ + "\n\nbuilt-ins: " + runner.builtinNames.joined(separator: ", ")
        case ":vars":
            return runner.variables.map { "\($0.name) = \($0.summary)" }.joined(separator: "\n")
        default:
            return "unknown command '\(parts[0])' (try :help)"
        }
    }
}
