import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A notebook path that names nothing readable: `cannot read notebook 'x.rlhf': no such file`.
///
/// The reason is said in plain words from the system's own error number (`stat`, `open`), never Foundation's
/// `NSCocoaErrorDomain error 256` text, which names neither the file nor what is wrong with it.
public struct UnreadableNotebook: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path as the user typed it.
    public var path: String
    /// Why it cannot be read: `no such file`, `it is a directory`, `permission denied`…
    public var reason: String

    public var description: String { "cannot read notebook '\(path)': \(reason)" }

    /// Refuses what is not a regular, readable file before anything reads it (reading a folder fails with an opaque
    /// error; reading a FIFO would wait forever; `/dev/null` is no notebook).
    public static func check(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw UnreadableNotebook(path: path, reason: words(errno)) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw UnreadableNotebook(path: path, reason: "it is a directory")
        default: throw UnreadableNotebook(path: path, reason: "it is not a regular file")
        }
        guard access(path, R_OK) == 0 else { throw UnreadableNotebook(path: path, reason: words(errno)) }
    }

    /// The file's bytes, or the reason they cannot be read (the error number Foundation wraps, in plain words).
    public static func contents(of path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let error = error as NSError
            let posix = [error.userInfo[NSUnderlyingErrorKey] as? NSError, error]
                .compactMap { $0 }.first { $0.domain == NSPOSIXErrorDomain }
            let reason = posix.map { words(Int32($0.code)) } ?? "the file cannot be read"
            throw UnreadableNotebook(path: path, reason: reason)
        }
    }

    /// An error number in plain words: the common ones as a user would say them, the rest as the system says them.
    static func words(_ number: Int32) -> String {
        switch number {
        case ENOENT: "no such file"
        case EACCES, EPERM: "permission denied"
        case EISDIR: "it is a directory"
        case ENOTDIR: "a part of the path is not a directory"
        case ENAMETOOLONG: "the path is too long"
        case ELOOP: "too many symbolic links in the path"
        default: String(cString: strerror(number)).lowercased()
        }
    }
}
