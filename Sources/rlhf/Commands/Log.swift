import ArgumentParser
import Store

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the versions of an object: version, cell, bytes written, content hash.",
        discussion: """
            A version that wrote 0 bytes reused tensors already in the store (content-addressed). RUN/NAME@N lists \
            the versions up to N, which must exist.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The object, as RUN/NAME or RUN/NAME@N (e.g. 1/policy).", valueName: "run/name"))
    var object: String
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        let ref = try parseReference(object)
        let versions = try failing { () throws -> [VersionInfo] in
            let all = try store.openReadOnly().log(run: ref.run, object: ref.object)
            // `@N` names a version: it must exist, and the log is its history (the versions up to it).
            guard let version = ref.version else { return all }
            guard all.contains(where: { $0.version == version }) else {
                throw StoreError.unknownVersion(
                    run: ref.run, object: ref.object, version: version, latest: all.last?.version ?? 0)
            }
            return all.filter { $0.version <= version }
        }
        if json { return print(try Format.json(versions)) }
        print(
            Format.table(
                ["VERSION", "CELL", "COMMIT", "BYTES WRITTEN", "ROWS", "HASH", "NOTE"],
                versions.map { v in
                    [
                        "v\(v.version)", v.cellKey.map { "\(v.cellOrdinal ?? 0):\($0)" } ?? "-", "\(v.commit)",
                        Format.bytes(v.bytesWritten), v.rows.map { "\($0)" } ?? "-", Format.hash(v.contentHash),
                        v.note ?? "",
                    ]
                }))
    }
}
