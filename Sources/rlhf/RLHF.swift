import ArgumentParser
import Engine
import Foundation
import Notebook

@main
struct RLHF: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rlhf",
        abstract:
            "A lab for reinforcement learning from human feedback where every checkpoint, feedback record and metric is versioned.",
        discussion: """
            With no subcommand, opens the interactive shell: each input is a cell, run and committed to the store.
            The store defaults to store/lab.sqlite (override with --store PATH or RLHF_STORE).
            """,
        version: "rlhf " + LabVersion.description,
        subcommands: [
            Run.self, Runs.self, Show.self, Log.self, Diff.self, Rollback.self, Query.self, Replay.self,
            BuiltinsCommand.self, Check.self, Remove.self, GC.self, Metrics.self, Blame.self, Report.self,
            ChartsExport.self, Export.self, Import.self,
            TagCommand.self, Sweep.self, Compare.self, Serve.self,
        ]
    )

    @OptionGroup var store: StoreOptions

    /// Start-up before the arguments are parsed: large tensor buffers stay in the heap between training steps.
    static func main() {
        KernelConfiguration.keepLargeBuffers()
        main(nil)
    }

    mutating func run() throws {
        try Shell(storePath: try failing { try store.checkedPath() }).run()
    }
}
