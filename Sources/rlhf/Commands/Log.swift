import ArgumentParser
import Store

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the versions of an object: version, cell, bytes written, content hash.",
        discussion: "A version that wrote 0 bytes reused tensors already in the store (content-addressed).")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The object, as RUN/NAME (e.g. 1/policy).", valueName: "run/name")) var object: String
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        let ref = try parseReference(object)
        let versions = try failing { try store.openReadOnly().log(run: ref.run, object: ref.object) }
        if json { return print(try Format.json(versions)) }
        print(Format.table(
            ["VERSION", "CELL", "COMMIT", "BYTES WRITTEN", "ROWS", "HASH", "NOTE"],
            versions.map { v in
                ["v\(v.version)", v.cellKey.map { "\(v.cellOrdinal ?? 0):\($0)" } ?? "-", "\(v.commit)",
                 Format.bytes(v.bytesWritten), v.rows.map { "\($0)" } ?? "-", Format.hash(v.contentHash), v.note ?? ""]
            }))
    }
}
