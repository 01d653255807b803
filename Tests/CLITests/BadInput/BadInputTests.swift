import Foundation
import GRDB
import Testing

/// Runs every case of ``BadInputCorpus`` against the built `rlhf` on a copy of a seeded store.
@Suite struct BadInputTests {
    @Test(arguments: BadInputCorpus.all)
    func badInputGetsOneClearErrorAndLosesNothing(_ c: BadInputCase) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("BadInput-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("lab.sqlite").path
        func expand(_ text: String) -> String {
            text.replacingOccurrences(of: "{store}", with: store).replacingOccurrences(of: "{dir}", with: folder.path)
        }
        if c.store != .absent { try FileManager.default.copyItem(atPath: try SeededStore.path(), toPath: store) }
        for (name, bytes) in c.files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        if let sql = c.setupSQL {
            var config = Configuration()
            config.foreignKeysEnabled = false
            let queue = try DatabaseQueue(path: store, configuration: config)
            try queue.writeWithoutTransaction { db in try db.execute(sql: expand(sql)) }
            try queue.close()
        }
        let before = c.store == .absent ? nil : try StoreDump(path: store)
        let filesBefore = entries(under: folder)

        let result = try BoundedProcess.run(
            CLI.executable, arguments: c.arguments.map(expand), in: folder, stdin: c.stdin.map(expand),
            environment: c.environment.mapValues(expand), timeout: c.timeout)

        #expect(!result.timedOut, "\(c.name): still running after \(c.timeout) s")
        #expect(result.signal == nil, "\(c.name): killed by signal \(result.signal ?? 0)\n\(result.stderr)")
        #expect(result.status == c.exit, "\(c.name): exit \(result.status), expected \(c.exit)\n\(result.stderr)")
        let expected = expand(c.error)
        let line = result.stderr.split(separator: "\n").first { $0.contains(expected) }
        #expect(
            line?.lowercased().contains("error:") == true,
            "\(c.name): no error line containing '\(expected)' in\n\(result.stderr)")
        for marker in ["Stack dump", "Fatal error", "Backtrace", "stack trace", "💣", "Program crashed"] {
            #expect(!result.stderr.contains(marker), "\(c.name): '\(marker)' in\n\(result.stderr)")
        }
        for file in c.mustNotExist.map(expand) {
            #expect(!FileManager.default.fileExists(atPath: file), "\(c.name): \(file) was created")
        }
        // A refused command writes nothing beside the store: no report, no chart folder, no lock file next to a file
        // that is not a store, no folder on the way to a store that does not exist.
        let storeName = (store as NSString).lastPathComponent
        let created = entries(under: folder).subtracting(filesBefore).filter { !$0.hasPrefix(storeName) }
        #expect(created.isEmpty, "\(c.name): created \(created.sorted())")
        switch c.store {
        case .absent:
            for file in [store, store + "-runs", store + "-wal"] {
                #expect(!FileManager.default.fileExists(atPath: file), "\(c.name): \(file) was created")
            }
        case .unchanged:
            let after = try StoreDump(path: store)
            #expect(after.differences(from: before!, newRunsAllowed: false) == [], "\(c.name)")
        case .noNewCommit:
            let after = try StoreDump(path: store)
            #expect(after.differences(from: before!, newRunsAllowed: true) == [], "\(c.name)")
        }
    }

    /// The corpus is the promise in numbers: every case has a unique name, and there are enough of them.
    @Test func namesAreUnique() {
        let names = BadInputCorpus.all.map(\.name)
        #expect(
            Set(names).count == names.count,
            "duplicated: \(Dictionary(grouping: names) { $0 }.filter { $1.count > 1 }.keys.sorted())")
    }
}

/// Every file and folder under `folder`, as paths relative to it.
private func entries(under folder: URL) -> Set<String> {
    Set(FileManager.default.enumerator(atPath: folder.path).map { $0.compactMap { $0 as? String } } ?? [])
}

/// The seeded store every case starts from: built once per test process by running the seed notebook.
enum SeededStore {
    private static let built: Result<String, any Error> = Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("BadInputSeed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let notebook = folder.appendingPathComponent("seed.rlhf")
        try BadInputCorpus.seedNotebook.write(to: notebook, atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("seed.sqlite").path
        let result = try BoundedProcess.run(
            CLI.executable, arguments: ["run", notebook.path, "--quiet", "--store", store], in: folder, stdin: nil,
            environment: [:], timeout: 120)
        guard result.status == 0 else { throw SeedError(message: result.stderr) }
        // Fold the write-ahead log into the file so a copy of the one file is the whole store.
        let queue = try DatabaseQueue(path: store)
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        return store
    }

    struct SeedError: Error { var message: String }

    static func path() throws -> String { try built.get() }
}

/// Every row of every table of a store, as text, for comparing a store before and after a command.
struct StoreDump {
    /// Table name → its rows, each row its columns as text, sorted.
    var tables: [String: [String]]
    /// Largest run id, so rows of runs a case added can be told from rows that were there.
    var maxRun: Int64

    init(path: String) throws {
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: config)
        defer { try? queue.close() }
        (tables, maxRun) = try queue.read { db in
            let names = try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            var tables: [String: [String]] = [:]
            for name in names {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \"\(name)\"")
                tables[name] = rows.map { row in
                    row.columnNames.map { "\($0)=\(row[$0] as DatabaseValue)" }.joined(separator: "|")
                }.sorted()
            }
            return (tables, try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM runs") ?? 0)
        }
    }

    /// Tables whose rows differ. With `newRunsAllowed`, rows of `runs`, `cells` and the run's metadata (`run_tags`,
    /// `run_environment`, `sweep_runs`) belonging to runs newer than `before`'s newest are ignored (a failed or
    /// cancelled run is recorded; it commits nothing).
    func differences(from before: StoreDump, newRunsAllowed: Bool) -> [String] {
        let perRun = ["cells", "run_tags", "run_environment", "sweep_runs"]
        return Set(tables.keys).union(before.tables.keys).sorted().filter { name in
            var now = tables[name] ?? []
            if newRunsAllowed && (name == "runs" || perRun.contains(name)) {
                let column = name == "runs" ? "id=" : "run_id="
                now = now.filter { row in
                    guard let field = row.split(separator: "|").first(where: { $0.hasPrefix(column) }),
                        let id = Int64(field.dropFirst(column.count))
                    else { return true }
                    return id <= before.maxRun
                }
            }
            return now != (before.tables[name] ?? [])
        }
    }
}
