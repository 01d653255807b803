import ArgumentParser
import Language
import Notebook
import Store

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-execute a recorded run into a new run, from the cell sources and parameters the store recorded.",
        discussion: """
            The cells run in the order they ran the first time, failed ones included. With --verify, every \
            version's content hash and every metric point is compared bit for bit with the original: prints \
            `verified: …` or the first divergence (cell, object and tensor element or metric, both values) and \
            exits 1.
            """)

    @OptionGroup var store: StoreOptions
    @ArgumentParser.Argument(help: ArgumentHelp("The run to replay.", valueName: "run")) var original: Int64
    @Flag(help: "Compare the replay with the original, bit for bit.") var verify = false
    @Flag(name: .shortAndLong, help: "Print only the verdict and errors, no cell output.") var quiet = false

    func run() throws {
        let lab = try store.openExisting()
        let replay = try failing { try RunReplay(store: lab, run: original) }
        let source = replay.original.run.notebook ?? "shell session"
        if !quiet { print("replaying run \(original) (\(source), \(replay.original.cells.count) cells)") }
        let quiet = self.quiet
        var newFailures = 0
        let result = try failing {
            try replay.execute(
                output: { if !quiet { print($0) } },
                cellStarted: { cell, index, total in
                    if !quiet { print("\n── [\(index)/\(total)] \(cell.title.isEmpty ? cell.key : cell.title) ──") }
                },
                cellFinished: { recorded, outcome in
                    switch outcome {
                    case .committed(let summary, let ms):
                        if !quiet { print(Format.commit(summary, durationMs: ms)) }
                    case .failed(let message), .cancelled(let message, _):
                        if recorded.status == .ok { newFailures += 1 }
                        if !quiet || recorded.status == .ok { printError(message) }
                    }
                })
        }
        print("run \(result.id) replays run \(original)")
        if verify {
            let verdict = try failing {
                try ReplayVerification.compare(store: lab, original: original, replay: result.id)
            }
            switch verdict {
            case .identical(let identical):
                print(identical.description)
            case .diverged(let divergence):
                printError(divergence.description)
                throw ExitCode.failure
            }
        } else if newFailures > 0 {
            printError(
                "\(newFailures) cell\(newFailures == 1 ? "" : "s") failed in the replay that succeeded in run \(original)"
            )
            throw ExitCode.failure
        }
    }
}
