import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Tells a run whose process is alive from one left `running` by a process that was killed.
///
/// The process writing a run holds a POSIX record lock on byte `run id` of the file `<store>-runs`. The kernel
/// drops such locks when a process dies (even by SIGKILL), so a `running` run whose byte is unlocked has no writer
/// left and can be marked `interrupted`. POSIX locks belong to the process and are all released when it closes ANY
/// descriptor of the file, so each file is opened once per process and never closed.
final class RunLocks: @unchecked Sendable {
    static let shared = RunLocks()

    private let lock = NSLock()
    /// Held while this process opens a store for writing (POSIX locks do not exclude threads of one process).
    private let opening = NSLock()
    /// One descriptor per lock file, kept open for the life of the process.
    private var files: [String: Int32] = [:]
    /// Runs this process holds, as `lockfile#run` (a process never conflicts with its own locks, so it must remember).
    private var held: Set<String> = []

    private init() {}

    static func lockFile(forStore path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path + "-runs"
    }

    /// Takes the lock of a run this process has just created. Returns false when the lock file cannot be used
    /// (e.g. a read-only folder); the run then simply cannot be told apart from a live one.
    @discardableResult
    func acquire(store path: String, run: Int64) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let file = Self.lockFile(forStore: path)
        guard let fd = descriptor(file) else { return false }
        var region = Self.region(run, type: F_WRLCK)
        guard fcntl(fd, F_SETLK, &region) == 0 else { return false }
        held.insert("\(file)#\(run)")
        return true
    }

    /// Releases a run's lock when the run ends.
    func release(store path: String, run: Int64) {
        lock.lock()
        defer { lock.unlock() }
        let file = Self.lockFile(forStore: path)
        guard held.remove("\(file)#\(run)") != nil, let fd = files[file] else { return }
        var region = Self.region(run, type: F_UNLCK)
        _ = fcntl(fd, F_SETLK, &region)
    }

    /// Whether some live process (this one included) holds the run's lock. When the lock file cannot be opened the
    /// answer is "alive", so a run is never marked interrupted on a guess.
    func isHeld(store path: String, run: Int64) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let file = Self.lockFile(forStore: path)
        if held.contains("\(file)#\(run)") { return true }
        // A writer creates the lock file before its run row exists: no file, no live writer. Readers never create it.
        guard let fd = descriptor(file, create: false) else { return FileManager.default.fileExists(atPath: file) }
        var region = Self.region(run, type: F_WRLCK)
        guard fcntl(fd, F_GETLK, &region) == 0 else { return true }
        return Int32(region.l_type) != Int32(F_UNLCK)
    }

    /// Serialises opening the store for writing across threads and processes (a blocking lock on byte 0, which no
    /// run uses): two processes creating or upgrading one store at once would otherwise both apply its migrations.
    func whileOpening<T>(store path: String, _ body: () throws -> T) throws -> T {
        opening.lock()
        defer { opening.unlock() }
        let fd: Int32? = {
            lock.lock()
            defer { lock.unlock() }
            return descriptor(Self.lockFile(forStore: path))
        }()
        guard let fd else { return try body() }
        var region = Self.region(0, type: F_WRLCK)
        while fcntl(fd, F_SETLKW, &region) != 0 && errno == EINTR {}
        defer {
            var unlock = Self.region(0, type: F_UNLCK)
            _ = fcntl(fd, F_SETLK, &unlock)
        }
        return try body()
    }

    private func descriptor(_ file: String, create: Bool = true) -> Int32? {
        if let fd = files[file] { return fd }
        var fd = open(file, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0o644)
        if fd < 0 { fd = open(file, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return nil }
        files[file] = fd
        return fd
    }

    private static func region(_ run: Int64, type: Int32) -> flock {
        var region = flock()
        region.l_type = Int16(type)
        region.l_whence = Int16(SEEK_SET)
        region.l_start = off_t(run)
        region.l_len = 1
        return region
    }
}
