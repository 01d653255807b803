import Foundation
import GRDB
import Testing

@testable import Store

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a store comes into being and goes: atomic creation, reading where one cannot write, nothing left beside a
/// file that is not a store, and gc keeping runs others depend on.
@Suite struct LifecycleTests {
    /// A reader polling while stores are created never sees a store file without its tables.
    @Test func aStoreIsNeverSeenHalfMade() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let paths = (0..<15).map { folder.appendingPathComponent("s\($0)/lab.sqlite").path }
        let done = NSLock()
        nonisolated(unsafe) var finished = false
        let creator = Thread {
            for path in paths { _ = try? LabStore(path: path) }
            done.withLock { finished = true }
        }
        creator.start()
        var seenHalfMade: [String] = []
        var seen = 0
        while !done.withLock({ finished }) {
            for path in paths where FileManager.default.fileExists(atPath: path) {
                var config = Configuration()
                config.readonly = true
                guard let queue = try? DatabaseQueue(path: path, configuration: config) else { continue }
                let tables =
                    (try? queue.read { db in try db.tableExists("runs") && db.tableExists("commits") }) ?? false
                seen += 1
                if !tables { seenHalfMade.append(path) }
                try? queue.close()
            }
        }
        #expect(seenHalfMade == [])
        #expect(seen > 0)
        // No temporary is left beside the stores.
        for path in paths {
            let storeFolder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let names = try FileManager.default.contentsOfDirectory(atPath: storeFolder)
            #expect(names.allSatisfy { !$0.contains(".creating-") }, "\(names)")
        }
    }

    /// Threads and processes creating one store at once all get the same, whole store.
    @Test func concurrentCreationsShareOneStore() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("lab.sqlite").path
            let runs = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<8 {
                    group.addTask { try LabStore(path: path).beginRun(notebook: nil, source: "", parameters: "{}") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(try LabStore.openReadOnly(path: path).runs().map(\.id).sorted() == runs.sorted())
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(names.allSatisfy { !$0.contains(".creating-") }, "\(names)")
        }
    }

    /// A creation killed half-way leaves only its temporary, which the next creation removes.
    @Test func aTemporaryLeftByAKilledCreationIsRemoved() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let stray = folder.appendingPathComponent(".lab.sqlite.creating-\(dead.processIdentifier)").path
        #expect(FileManager.default.createFile(atPath: stray, contents: Data("SQLite format 3\0half".utf8)))
        let store = try LabStore(path: folder.appendingPathComponent("lab.sqlite").path)
        #expect(try store.runs() == [])
        #expect(!FileManager.default.fileExists(atPath: stray))
    }

    @Test(arguments: [
        (true, false, StoreFile.ReadMode.shared), (true, true, .shared), (false, true, .shared),
        (false, false, .immutable),
    ])
    func aReaderOpensImmutableOnlyWhereNoWriterCanBe(folderWritable: Bool, logExists: Bool, mode: StoreFile.ReadMode) {
        #expect(StoreFile.readMode(folderWritable: folderWritable, logExists: logExists) == mode)
    }

    /// An immutable open reads the whole store (the name is a URI; odd characters in the path are escaped).
    @Test func anImmutableOpenReadsTheStore() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("odd ?#% name/lab.sqlite").path
        let run = try LabStore(path: path).beginRun(notebook: nil, source: "", parameters: "{}")
        try tamper(path, "PRAGMA wal_checkpoint(TRUNCATE)")
        let queue = try DatabaseQueue(
            path: StoreFile.openName(path, mode: .immutable), configuration: LabStore.configuration(readonly: true))
        #expect(try queue.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM runs") } == [run])
        try queue.close()
    }

    /// A text file, `/dev/null` or a folder given as the store is refused, and nothing is created beside it.
    @Test(arguments: ["text", "empty folder", "/dev/null"])
    func aFileThatIsNotAStoreGetsNoLockFile(_ kind: String) throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var path = folder.appendingPathComponent("notes.txt").path
        switch kind {
        case "text": #expect(FileManager.default.createFile(atPath: path, contents: Data("hello\n".utf8)))
        case "empty folder": try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        default: path = "/dev/null"
        }
        let lockExisted = FileManager.default.fileExists(atPath: path + "-runs")
        for open in [{ _ = try LabStore(path: path) }, { _ = try LabStore.openReadOnly(path: path) }] {
            guard case .corrupt(path, _) = storeError(open) else {
                Issue.record("\(kind): expected corrupt")
                continue
            }
        }
        if !lockExisted { #expect(!FileManager.default.fileExists(atPath: path + "-runs"), "\(kind)") }
        for suffix in ["-wal", "-shm", "-journal"] where path != "/dev/null" {
            #expect(!FileManager.default.fileExists(atPath: path + suffix), "\(kind)\(suffix)")
        }
    }

    /// gc keeps a deleted run that a remaining run needs, naming that run, unless forced.
    @Test(arguments: ["resumed", "pinned", "loaded"])
    func garbageCollectionRefusesARunOthersDependOn(_ dependency: String) throws {
        try withTemporaryStore { store, _ in
            let parent = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(
                run: parent,
                commit(
                    1, [("policy", .checkpoint(policy()))],
                    bindings: [("policy", .object(name: "policy"))]))
            try store.finishRun(parent, status: .failed)
            let child: Int64
            switch dependency {
            case "resumed":
                child = try store.beginResumedRun(
                    notebook: nil, source: "", parameters: "{}", from: try store.resumePoint(run: parent, fromCell: 2))
            case "pinned":
                child = try store.beginRun(notebook: nil, source: "", parameters: "{}")
                _ = try store.commit(
                    run: child,
                    commit(
                        1, [("policy", .checkpoint(policy()))],
                        bindings: [("policy", .object(name: "policy"))]))
                try tamper(
                    store.path,
                    """
                    UPDATE commit_bindings SET version_id = (SELECT min(id) FROM versions) WHERE commit_id = \
                    (SELECT max(id) FROM commits)
                    """)
                // Hashed as if committed so (the pin is what is tested, not the tampering).
                try store.writer?.write { db in
                    try CommitChain.seal(
                        db, commit: try #require(try Int64.fetchOne(db, sql: "SELECT max(id) FROM commits")),
                        metrics: [])
                }
            default:
                child = try store.beginRun(notebook: nil, source: "", parameters: "{}")
                _ = try store.commit(
                    run: child,
                    CellCommit(
                        cell: CellRecord(ordinal: 1, key: "a", title: "a", source: "p = load( \"\(parent)/policy@1\")"),
                        output: "", durationMs: 1))
            }
            try store.finishRun(child, status: .succeeded)
            try store.removeRun(parent)
            let before = try dump(store.path)
            guard
                case .runHasDependants(parent, let reasons) = storeError({ _ = try store.collectGarbage(dryRun: false) }
                )
            else {
                Issue.record("\(dependency): gc did not refuse")
                return
            }
            #expect(reasons.count == 1 && reasons[0].hasPrefix("run \(child) "), "\(reasons)")
            #expect(try dump(store.path) == before)
            let forced = try store.collectGarbage(dryRun: false, force: true)
            #expect(forced.purgedRuns == [parent])
            // gc purges with foreign keys unenforced; the writer enforces them again afterwards.
            #expect(try store.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA foreign_keys") } == 1)
            // The chain is re-linked; a binding pinned into the purged run is now reported as broken, truthfully.
            let problems = try store.check()
            #expect(
                problems.map(\.message) == (dependency == "pinned" ? ["it pins no existing version of 'policy'"] : []))
        }
    }

    /// A deleted child does not hold its deleted parent back: both go.
    @Test func aDeletedParentAndItsDeletedChildArePurgedTogether() throws {
        try withTemporaryStore { store, _ in
            let parent = try store.beginRun(notebook: nil, source: "", parameters: "{}")
            _ = try store.commit(run: parent, commit(1))
            try store.finishRun(parent, status: .failed)
            let child = try store.beginResumedRun(
                notebook: nil, source: "", parameters: "{}", from: try store.resumePoint(run: parent, fromCell: 2))
            try store.finishRun(child, status: .succeeded)
            try store.removeRun(parent)
            try store.removeRun(child)
            #expect(try store.collectGarbage(dryRun: false).purgedRuns == [parent, child])
        }
    }

    @Test(arguments: [
        (#"p = load("2/policy")"#, [Int64(2)]), (#"load( ref: "12/prefs@3" ) + load("3/x")"#, [3, 12]),
        (#"loaded("2/policy")"#, []), (#"load(name + "/policy")"#, []), ("reload(\"4/p\")", []),
    ])
    func literalLoadReferencesAreFound(_ source: String, runs: [Int64]) {
        #expect(LoadReferences.runs(in: source).sorted() == runs)
    }
}
