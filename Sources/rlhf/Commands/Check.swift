import ArgumentParser
import Store

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the store: the commit hash chain, SQLite integrity, every blob, manifest, row and binding.",
        discussion: """
            Re-hashes every commit's content (cell, run parameters, bindings, versions, feedback rows, metric points, \
            artifacts) and re-links the chain of commit hashes, naming the first commit that no longer matches; runs \
            SQLite's full integrity check with CHECK constraints enforced and its foreign-key check; re-hashes every \
            blob against its SHA-256; verifies that every checkpoint manifest points at existing blobs of the right \
            size and still hashes to its version's content hash; re-hashes every feedback row; decodes every binding \
            and finds the version it pins; and checks that versions and rows point only at their own run and object. \
            Prints the number of runs and commits verified and the chain's head; each problem is named (commit, run, \
            cell, object, version, tensor) and the exit code is 1 when there is any. The store is opened read-only.
            """)

    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
        let report = try failing { try store.openReadOnly().verify() }
        if json {
            print(try Format.json(report))
        } else if report.problems.isEmpty {
            let head = report.head.map { "chain \(Format.hash($0)) verified" } ?? "no commits to chain"
            print("ok: \(count(report.runs, "run")), \(count(report.commits, "commit")), \(head), integrity ok")
        } else {
            for problem in report.problems { printError("error: \(problem.description)") }
            printError("\(count(report.problems.count, "problem")) in \(store.path)")
        }
        if !report.problems.isEmpty { throw ExitCode.failure }
    }

    private func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
