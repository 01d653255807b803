import ArgumentParser
import Store

struct Rollback: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make an earlier version of an object current again, as a new version. Nothing is deleted.")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The object, as RUN/NAME (e.g. 1/policy).", valueName: "run/name")) var object: String
    @Option(help: ArgumentHelp("The version to restore.", valueName: "n")) var to: Int

    func run() throws {
        let ref = try parseReference(object)
        if ref.version != nil {
            // The new version always follows the latest; a version in the reference would be a second, ignored target.
            printError(
                "error: rollback takes the object without a version, got '\(object)': name the version to restore "
                    + "with --to (the rollback adds it after the latest)")
            throw ExitCode.failure
        }
        let v = try failing { try store.openExisting().rollback(run: ref.run, object: ref.object, to: to) }
        print(
            "\(ref.run)/\(v.object)@\(v.version) = v\(to) (hash \(Format.hash(v.contentHash)), \(Format.bytes(v.bytesWritten)) written)"
        )
    }
}
