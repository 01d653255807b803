import ArgumentParser
import Store

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the store: SQLite integrity and foreign keys, every blob re-hashed, every manifest and row.",
        discussion: """
            Runs SQLite's integrity check and foreign-key check, re-hashes every tensor blob against its SHA-256, \
            verifies that every checkpoint manifest points at existing blobs of the right size and still hashes to \
            its version's content hash, re-hashes every feedback row, and checks that versions and rows point only at \
            their own run and object. Each problem is named (run, object, version, tensor) and the exit code is 1 \
            when there is any. The store is opened read-only.
            """)

    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
        let problems = try failing { try store.openReadOnly().check() }
        if json {
            print(try Format.json(problems))
        } else if problems.isEmpty {
            print("ok: \(store.path) is sound")
        } else {
            for problem in problems { print(problem.description) }
            printError("\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(store.path)")
        }
        if !problems.isEmpty { throw ExitCode.failure }
    }
}
