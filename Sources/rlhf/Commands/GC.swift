import ArgumentParser
import Store

struct GC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Purge deleted runs and remove tensor blobs no remaining version references, in one transaction.",
        discussion: """
            With --dry-run, reports what would be removed and changes nothing. Freed pages are reused by later \
            writes; the file itself does not shrink.
            """)

    @OptionGroup var store: StoreOptions
    @Flag(help: "Report what would be removed without removing it.") var dryRun = false
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
        let report = try failing { try store.open().collectGarbage(dryRun: dryRun) }
        if json { return print(try Format.json(report)) }
        let verb = dryRun ? "would remove" : "removed"
        let runs = report.purgedRuns.isEmpty
            ? "no deleted runs"
            : "deleted run\(report.purgedRuns.count == 1 ? "" : "s") \(report.purgedRuns.map(String.init).joined(separator: ", "))"
                + " (\(report.versions) versions, \(report.feedbackRows) feedback rows, \(report.metricPoints) metric points)"
        print("\(verb): \(runs); \(report.blobs) unreferenced blob\(report.blobs == 1 ? "" : "s") (\(Format.bytes(report.blobBytes)))")
    }
}
