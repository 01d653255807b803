import ArgumentParser
import Store

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a run: its cells with status and timing, and its objects with their versions.")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("Run id.", valueName: "run")) var runID: Int64
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
        let detail = try failing { try store.openReadOnly().run(runID) }
        if json { return print(try Format.json(detail)) }
        let r = detail.run
        print(
            "run \(r.id) · \(r.notebook ?? "(shell)") · \(r.status.rawValue) · started \(r.startedAt)"
                + (r.finishedAt.map { " · finished \($0)" } ?? ""))
        if let name = r.name { print("name: \(name)") }
        if !r.tags.isEmpty { print("tags: \(r.tags.joined(separator: ", "))") }
        if let note = r.note { print("note: \(note)") }
        if r.parameters != "{}" && !r.parameters.isEmpty { print("parameters: \(r.parameters)") }
        if let e = detail.environment {
            print(
                "rlhf \(e.rlhfVersion) (\(e.build)) · \(e.gitDescription) · host \(e.host) · \(e.os) · kernels "
                    + "\(e.kernels) · \(e.threads) thread\(e.threads == 1 ? "" : "s")")
        }
        if let original = r.replayOf { print("replay of run \(original)") }
        if let parent = r.parentRun { print("continues run \(parent) from cell \(r.resumedAtCell ?? 1)") }
        if let deleted = r.deletedAt { print("deleted \(deleted) (rlhf gc purges it)") }
        print("")
        print(
            Format.table(
                ["CELL", "ID", "TITLE", "STATUS", "TIME", "COMMIT"],
                detail.cells.map { c in
                    [
                        "\(c.ordinal)", c.key, c.title, c.status.rawValue, Format.milliseconds(c.durationMs),
                        c.commit.map { "\($0)" } ?? "-",
                    ]
                }))
        for c in detail.cells where c.error != nil {
            print("\ncell \(c.ordinal) failed:\n\(c.error ?? "")")
        }
        if !detail.objects.isEmpty {
            print("")
            print(
                Format.table(
                    ["OBJECT", "KIND", "VERSIONS", "LATEST", "HASH"],
                    detail.objects.map { o in
                        let last = o.versions.last
                        return [
                            o.name, o.versions.last?.kind ?? o.kind.rawValue, "\(o.versions.count)",
                            last.map { "v\($0.version)" } ?? "-", last.map { Format.hash($0.contentHash) } ?? "-",
                        ]
                    }))
        }
    }
}
