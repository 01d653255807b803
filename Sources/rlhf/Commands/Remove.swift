import ArgumentParser
import Store

struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Mark a run deleted: listings hide it; `rlhf gc` purges its rows and the blobs only it used.")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The run to delete.", valueName: "run")) var runID: Int64

    func run() throws {
        try failing { try store.openExisting().removeRun(runID) }
        print("run \(runID) marked deleted; `rlhf gc` frees its space")
    }
}
