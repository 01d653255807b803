import Foundation
import GRDB
import Testing

@testable import Store

@Suite struct OpeningTests {
    /// SQLite's process-wide options are set before the first connection opens (multi-thread mode and no memory
    /// statistics): the result is SQLITE_OK, not SQLITE_MISUSE (too late), and the store works under them.
    @Test func sqliteOptionsAreSetBeforeTheFirstConnection() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try LabStore(path: folder.appendingPathComponent("lab.sqlite").path)
        _ = try store.beginRun(notebook: nil, source: "", parameters: "{}")
        #expect(LabStore.sqliteOptions == 0)  // SQLITE_OK
        #expect(try store.runs().count == 1)
    }

    @Test func createsMissingFoldersAndReopens() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a/b/lab.sqlite").path
        let run = try LabStore(path: path).beginRun(notebook: nil, source: "", parameters: "{}")
        #expect(try LabStore(path: path).runs().map(\.id) == [run])
        #expect(try LabStore.openReadOnly(path: path).runs().map(\.id) == [run])
        #expect(try LabStore(path: path).query("PRAGMA journal_mode").rows == [[.text("wal")]])
        #expect(try LabStore(path: path).query("PRAGMA foreign_keys").rows == [[.integer(1)]])
    }

    @Test func missingStoreIsNoStore() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("lab.sqlite").path
        #expect(storeError { _ = try LabStore.openReadOnly(path: path) } == .noStore(path))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test(arguments: [5, 100, 4096, 70_000])
    func garbageIsCorruptNotACrash(size: Int) throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("lab.sqlite").path
        let garbage = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
        #expect(FileManager.default.createFile(atPath: path, contents: garbage))
        for open in [{ _ = try LabStore(path: path) }, { _ = try LabStore.openReadOnly(path: path) }] {
            guard case .corrupt(let reported, let detail) = storeError(open) else {
                Issue.record("expected corrupt")
                continue
            }
            #expect(reported == path)
            #expect(!detail.isEmpty)
        }
        #expect(FileManager.default.contents(atPath: path) == garbage)
    }

    @Test func someoneElsesDatabaseIsLeftAlone() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("players.sqlite").path
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TABLE players (id INTEGER PRIMARY KEY, name TEXT)")
        }
        let before = FileManager.default.contents(atPath: path)
        guard case .corrupt(path, let detail) = storeError({ _ = try LabStore(path: path) }) else {
            Issue.record("expected corrupt")
            return
        }
        #expect(detail.contains("players"))
        guard case .corrupt(path, _) = storeError({ _ = try LabStore.openReadOnly(path: path) }) else {
            Issue.record("expected corrupt")
            return
        }
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    /// A store written before the newest migration (here: without v5's artifacts table) is upgraded by a read-only
    /// open, as a writer would upgrade it, and its runs are all there.
    @Test func aStoreFromAnOlderRLHFIsUpgradedWhenOpenedReadOnly() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("lab.sqlite").path
        let run = try LabStore(path: path).beginRun(notebook: nil, source: "", parameters: "{}")
        try DatabaseQueue(path: path).writeWithoutTransaction { db in
            try db.execute(
                sql:
                    "DROP VIEW v_artifacts; DROP TABLE artifacts; DELETE FROM grdb_migrations WHERE identifier = 'v5-artifacts'"
            )
        }
        let store = try LabStore.openReadOnly(path: path)
        #expect(try store.runs().map(\.id) == [run])
        #expect(try store.query("SELECT count(*) FROM sqlite_master WHERE name = 'artifacts'").rows == [[.integer(1)]])
        #expect(try store.check() == [])
        #expect(
            storeError { _ = try store.beginRun(notebook: nil, source: "", parameters: "{}") } == .readOnlyStore(path))
    }
}
