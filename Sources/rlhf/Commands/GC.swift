import ArgumentParser
import Store

struct GC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Purge deleted runs and remove tensor blobs no remaining version references, in one transaction.",
        discussion: """
            With --dry-run, reports what would be removed and changes nothing. Freed pages are reused by later \
            writes; with --vacuum the file is also rebuilt without them, so it shrinks (this rewrites the whole store). \
            A deleted run that another run depends on (a run resumed from it with --resume or --cells, or a replay of \
            one; a run that binds or load()s one of its objects) is not purged: gc names that run and changes \
            nothing, unless --force. Purging re-links the commit hash chain after the purged commits.
            """)

    @OptionGroup var store: StoreOptions
    @Flag(help: "Report what would be removed without removing it.") var dryRun = false
    @Flag(help: "Purge deleted runs even when other runs depend on them (those can no longer be resumed or replayed).")
    var force = false
    @Flag(help: "Then rebuild the file without its free pages (SQLite VACUUM), so it shrinks.") var vacuum = false
    @Flag(help: "Print JSON instead of text.") var json = false

    func validate() throws {
        if dryRun && vacuum {
            throw ValidationError("--vacuum changes the store; it cannot be combined with --dry-run")
        }
    }

    func run() throws {
        let opened = try failing { try store.openExisting() }
        let report = try failing { try opened.collectGarbage(dryRun: dryRun, force: force) }
        let sizes = vacuum ? try failing { try opened.vacuum() } : nil
        if json {
            guard let sizes else { return print(try Format.json(report)) }
            return print(
                try Format.json(VacuumedReport(collected: report, bytesBefore: sizes.before, bytesAfter: sizes.after)))
        }
        let verb = dryRun ? "would remove" : "removed"
        let runs =
            report.purgedRuns.isEmpty
            ? "no deleted runs"
            : "deleted run\(report.purgedRuns.count == 1 ? "" : "s") \(report.purgedRuns.map(String.init).joined(separator: ", "))"
                + " (\(report.versions) versions, \(report.feedbackRows) feedback rows, \(report.metricPoints) metric points)"
        print(
            "\(verb): \(runs); \(report.blobs) unreferenced blob\(report.blobs == 1 ? "" : "s") (\(Format.bytes(report.blobBytes)))"
        )
        if let sizes { print("vacuumed: store file \(Format.bytes(sizes.before)) → \(Format.bytes(sizes.after))") }
    }
}

/// `gc --vacuum --json`: the collection report and the file's size before and after.
private struct VacuumedReport: Encodable {
    var collected: GarbageReport
    var bytesBefore: Int
    var bytesAfter: Int
}
