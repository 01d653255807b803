import ArgumentParser
import Store

struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Add tags to a run, or remove them with --remove; prints the run's tags after.",
        discussion:
            "Tags are metadata: they are not part of any commit's hash, so tagging never changes a run's results.")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("Run id or name.", valueName: "run")) var target: String
    @Argument(help: ArgumentHelp("Tags to add.", valueName: "tag")) var tags: [String] = []
    @Option(name: .customLong("remove"), help: ArgumentHelp("A tag to remove (repeatable).", valueName: "tag"))
    var removed: [String] = []

    func validate() throws {
        if tags.isEmpty && removed.isEmpty { throw ValidationError("give tags to add, or --remove TAG") }
        do {
            for tag in tags + removed { try RunMetadata.checkTag(tag) }
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() throws {
        let lab = try store.openExisting()
        let id = try failing { try lab.runID(target) }
        let after = try failing { try lab.tag(run: id, adding: tags, removing: removed) }
        print("run \(id) tags: " + (after.isEmpty ? "(none)" : after.joined(separator: ", ")))
    }
}
