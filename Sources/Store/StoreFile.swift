import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The store's file on disk: what is at a path before anything is opened, how a new store comes into existence, and
/// how a reader opens a store it may not be able to write beside.
enum StoreFile {
    /// What `stat` finds at a store path.
    enum Existing: Equatable {
        case missing
        /// A regular file of this many bytes.
        case file(bytes: Int)
        /// A device, folder, pipe or socket (`/dev/null`, a folder passed as `--store`): never a store.
        case notAFile(String)
    }

    static func existing(_ path: String) -> Existing {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file(bytes: Int(info.st_size))
        case S_IFDIR: return .notAFile("it is a directory")
        case S_IFCHR, S_IFBLK: return .notAFile("it is a device, not a file")
        default: return .notAFile("it is not a regular file")
        }
    }

    /// Creates a complete store at `path` that no process can see half-made: the schema is built in a temporary file
    /// in the same folder, which is then given the store's name with `link` (atomic, and it never replaces a store
    /// another process created meanwhile). A SIGKILL at any point leaves either no store or a whole one (and at worst
    /// a stray `.NAME.creating-PID-…` file, which later creations remove once PID is gone).
    static func create(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let prefix = "." + url.lastPathComponent + ".creating-"
        removeAbandonedTemporaries(in: folder, prefix: prefix)
        // The pid lets a later creation tell an abandoned temporary; the UUID keeps two threads of one process apart.
        let temporary = folder.appendingPathComponent(prefix + "\(getpid())-\(UUID().uuidString)").path
        for file in [temporary, temporary + "-wal", temporary + "-shm", temporary + "-journal"] { unlink(file) }
        defer { unlink(temporary) }
        do {
            let queue = try DatabaseQueue(path: temporary, configuration: LabStore.configuration(readonly: false))
            try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
            try Migrations.migrator.migrate(queue)
            // Closing folds the log into the file and removes it, so the one file is the whole store.
            try queue.close()
        }
        if link(temporary, path) != 0 {
            let error = errno
            // EEXIST: another process created the store first; it is complete (it was made the same way), use it.
            if error == EEXIST { return }
            // A file system without hard links: rename (which would replace a store created meanwhile, so only when
            // there is still none).
            guard existing(path) == .missing, rename(temporary, path) == 0 else {
                throw StoreError.database(path, "cannot create the store: \(String(cString: strerror(error)))")
            }
        }
    }

    /// Temporaries whose creating process is gone (killed while building a store).
    private static func removeAbandonedTemporaries(in folder: URL, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            let pidText = name.dropFirst(prefix.count).prefix { $0.isNumber }
            guard let pid = Int32(pidText), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(folder.appendingPathComponent(name).path)
        }
    }

    /// How a reader opens the store.
    enum ReadMode: Equatable {
        /// A normal read-only connection, which shares the write-ahead log's index (`-shm`) with writers.
        case shared
        /// SQLite's `immutable=1`: no `-shm`, no locks. Only when the folder is not writable (so there can be no
        /// writer, which would need to create its log there) and no log is left beside the file.
        case immutable
    }

    /// `shared` wherever SQLite can create or use the `-shm` file; `immutable` for a store in a read-only folder
    /// (a shared or archived store) that has no log: SQLite could not open it otherwise.
    static func readMode(folderWritable: Bool, logExists: Bool) -> ReadMode {
        folderWritable || logExists ? .shared : .immutable
    }

    static func readMode(forStore path: String) -> ReadMode {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let log: (String) -> Bool = { suffix in
            if case .file(let bytes) = existing(path + suffix) { return bytes > 0 }
            return false
        }
        return readMode(folderWritable: access(folder, W_OK) == 0, logExists: log("-wal") || log("-shm"))
    }

    /// The name SQLite opens for `mode`: the path itself, or a `file:` URI (the system SQLite accepts URIs).
    static func openName(_ path: String, mode: ReadMode) -> String {
        switch mode {
        case .shared:
            return path
        case .immutable:
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            var allowed = CharacterSet.urlPathAllowed
            allowed.remove(charactersIn: "?#%")
            let encoded = absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute
            return "file:\(encoded)?immutable=1"
        }
    }
}
