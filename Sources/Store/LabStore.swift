import CSQLiteConfig
import Foundation
import GRDB

/// The versioned SQLite store of RLHF Lab: runs, cells, commits, content-addressed checkpoints, feedback and metrics.
///
/// ```swift
/// let store = try LabStore(path: "store/lab.sqlite")
/// let run = try store.beginRun(notebook: "quickstart.rlhf", source: text, parameters: "{}")
/// let summary = try store.commit(run: run, cellCommit)
/// try store.finishRun(run, status: .succeeded)
/// ```
///
/// Every connection runs in WAL mode with foreign keys on and a busy timeout, so readers never wait for the writer
/// and a second process waits for the write lock instead of failing with "database is locked".
/// Methods are synchronous and the class is safe to share between threads.
public final class LabStore: Sendable {
    /// The database file.
    public let path: String
    /// How long a connection waits for another process's lock before giving up.
    static let busyTimeout: TimeInterval = 10

    let reader: any DatabaseReader
    /// Nil for a store opened with ``openReadOnly(path:)``.
    let writer: (any DatabaseWriter)?

    private init(path: String, reader: any DatabaseReader, writer: (any DatabaseWriter)?) {
        self.path = path
        self.reader = reader
        self.writer = writer
    }

    /// Opens or creates the store (creating missing parent folders), WAL mode, busy timeout, foreign keys on,
    /// migrations applied.
    ///
    /// A new store is created whole (see ``StoreFile/create(_:)``). Nothing is written beside the path (no lock
    /// file, no log) until it is known to be a store: a text file, `/dev/null` or someone else's database is refused
    /// untouched with ``StoreError/corrupt(_:_:)``, and a store written by a newer rlhf with
    /// ``StoreError/newerStore(_:migrations:)``.
    public convenience init(path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError.database(path, "cannot create the folder \(folder.path): \(FileProblem.reason(error))")
        }
        let pool = try Self.mapErrors(path) {
            switch StoreFile.existing(path) {
            case .missing: try StoreFile.create(path)
            case .notAFile(let what): throw StoreError.corrupt(path, what)
            case .file: break
            }
            // Check with a plain connection first: opening a pool would switch someone else's database to WAL.
            try DatabaseQueue(path: path, configuration: Self.configuration(readonly: false)).read { db in
                try Self.refuseForeignDatabase(db, path: path)
                try Migrations.refuseNewer(db, path: path)
            }
            return try RunLocks.shared.whileOpening(store: path) {
                let pool = try DatabasePool(path: path, configuration: Self.configuration(readonly: false))
                // Again under the lock: a newer rlhf may have upgraded the store since.
                try pool.read { db in try Migrations.refuseNewer(db, path: path) }
                try Migrations.migrator.migrate(pool)
                try Self.markInterruptedRuns(pool, path: path)
                return pool
            }
        }
        self.init(path: path, reader: pool, writer: pool)
    }

    /// Opens an existing store read-only (for `rlhf query` and listings), also in a folder this process cannot write
    /// (see ``StoreFile/readMode(forStore:)``).
    ///
    /// Missing file -> ``StoreError/noStore(_:)``. Not a SQLite file, corrupt, or not a store ->
    /// ``StoreError/corrupt(_:_:)``. Written by a newer rlhf -> ``StoreError/newerStore(_:migrations:)``.
    /// Writing methods then throw ``StoreError/readOnlyStore(_:)``.
    public static func openReadOnly(path: String) throws -> LabStore {
        let queue = try openReadOnlyQueue(path: path)
        return LabStore(path: path, reader: queue, writer: nil)
    }

    static func openReadOnlyQueue(path: String) throws -> DatabaseQueue {
        switch StoreFile.existing(path) {
        case .missing: throw StoreError.noStore(path)
        case .notAFile(let what): throw StoreError.corrupt(path, what)
        case .file: break
        }
        // A store made by an rlhf older than atomic creation may have no tables, or only its first migrations, for a
        // moment while another process creates it: wait for the writer rather than report a schema it is finishing.
        let deadline = Date().addingTimeInterval(1)
        var upgraded = false
        while true {
            do {
                return try openReadOnlyQueueOnce(path: path)
            } catch StoreError.schemaOutdated where !upgraded {
                // Apply the missing migrations as any writer would (they only add to the schema, under the lock that
                // serialises openings), then read the store.
                upgraded = true
                do { _ = try LabStore(path: path) } catch { throw StoreError.schemaOutdated }
            } catch StoreError.schemaIncomplete(let detail) {
                if Date() >= deadline { throw StoreError.corrupt(path, detail) }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    private static func openReadOnlyQueueOnce(path: String) throws -> DatabaseQueue {
        try mapErrors(path) {
            let name = StoreFile.openName(path, mode: StoreFile.readMode(forStore: path))
            let queue = try DatabaseQueue(path: name, configuration: configuration(readonly: true))
            try queue.read { db in
                guard try db.tableExists("grdb_migrations"), try db.tableExists("runs") else {
                    throw StoreError.schemaIncomplete("it is a SQLite file without the store's tables")
                }
                try Migrations.refuseNewer(db, path: path)
                // Behind this rlhf's migrations: written by an older rlhf, or being created by another process right
                // now. Opening for writing waits for such a process and applies what is missing in either case.
                guard try Migrations.migrator.hasCompletedMigrations(db) else { throw StoreError.schemaOutdated }
            }
            return queue
        }
    }

    /// SQLite's process-wide options (multi-thread mode, no memory statistics), set once before the first
    /// connection: every connection is made with ``configuration(readonly:)``, which reads this first. Its value is
    /// SQLite's result code.
    static let sqliteOptions: Int32 = rlhf_sqlite_configure()

    static func configuration(readonly: Bool) -> Configuration {
        _ = sqliteOptions
        var config = Configuration()
        config.readonly = readonly
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(busyTimeout)
        config.label = "rlhf-store"
        return config
    }

    /// A SQLite file that already holds other tables is someone else's database: do not add ours to it.
    private static func refuseForeignDatabase(_ db: Database, path: String) throws {
        guard try !db.tableExists("grdb_migrations") else { return }
        let tables = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        if !tables.isEmpty {
            throw StoreError.corrupt(
                path, "it is a SQLite database with other tables (\(tables.prefix(5).joined(separator: ", ")))")
        }
    }

    /// Runs `body` in a write transaction; any error rolls the whole transaction back. A store a newer rlhf has
    /// upgraded since it was opened is refused before `body` runs.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        guard let writer else { throw StoreError.readOnlyStore(path) }
        return try Self.mapErrors(path) {
            try writer.write { db in
                try Migrations.refuseNewer(db, path: path)
                return try body(db)
            }
        }
    }

    /// Runs `body` outside a transaction (VACUUM, or a transaction `body` manages), after the same newer-store check.
    func writeWithoutTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        guard let writer else { throw StoreError.readOnlyStore(path) }
        return try Self.mapErrors(path) {
            try writer.writeWithoutTransaction { db in
                try Migrations.refuseNewer(db, path: path)
                return try body(db)
            }
        }
    }

    /// Runs `body` in a read transaction (one consistent snapshot).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.mapErrors(path) { try reader.read(body) }
    }

    /// Translates SQLite failures into `StoreError`s a user can act on.
    static func mapErrors<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw storeError(error, path: path)
        } catch {
            throw StoreError.database(path, "\(error)")
        }
    }

    static func storeError(_ error: DatabaseError, path: String) -> StoreError {
        let message = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return .corrupt(path, message)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .busy(path)
        case .SQLITE_READONLY:
            return .readOnlyStore(path)
        default:
            return .database(path, message)
        }
    }
}
