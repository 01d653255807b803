import Foundation
import Language
import Store

/// A UTF-8 text file a cell reads (a `Corpus`), with the SHA-256 of its bytes.
///
/// A relative path is resolved against the folder of the notebook that names it, as a Jupyter user expects
/// (`Corpus(file: "../data/tinyshakespeare.txt")` in `notebooks/shakespeare.rlhf` reads `data/tinyshakespeare.txt`),
/// and against the working directory in the shell. The resolved path is what the store keeps: like the notebook path
/// of the run itself, it is relative to the directory `rlhf` ran in, so resume and replay read the same file when run
/// from there.
struct TextFile {
    /// The path as resolved: relative to the working directory unless the user wrote an absolute one.
    let path: String
    let text: String
    /// Lowercase hex, as `shasum -a 256` prints it.
    let sha256: String

    /// The largest text file read: its tokens take eight bytes per character in memory.
    static let maximumBytes = SourceBytes.maximumFileBytes

    /// Reads the file at `path` (already resolved).
    init(path: String) throws(TextFileError) {
        self.path = path
        do {
            try UnreadableNotebook.check(path)
        } catch {
            throw TextFileError.unreadable(path: path, reason: (error as? UnreadableNotebook)?.reason ?? "\(error)")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > Self.maximumBytes {
            throw TextFileError.unreadable(
                path: path, reason: "it is \(size) bytes; the limit is \(Self.maximumBytes) (64 MB)")
        }
        let data: Data
        do {
            data = try UnreadableNotebook.contents(of: path)
        } catch {
            throw TextFileError.unreadable(path: path, reason: (error as? UnreadableNotebook)?.reason ?? "\(error)")
        }
        let bytes = [UInt8](data)
        if let bad = SourceBytes.firstInvalidByte(in: bytes) {
            let at = SourceBytes.location(ofByte: bad, in: bytes, file: path)
            let hex = String(bytes[bad], radix: 16, uppercase: true)
            throw TextFileError.unreadable(
                path: path,
                reason: "it is not UTF-8 (byte 0x\(hex.count == 1 ? "0" + hex : hex) at line \(at.line), "
                    + "column \(at.column))")
        }
        text = String(decoding: bytes, as: UTF8.self)
        sha256 = FileDigest.sha256(data)
    }

    /// `typed` resolved against `folder` (the notebook's folder, "" for the working directory), with `.` and `..`
    /// removed where they can be: `notebooks` + `../data/x.txt` → `data/x.txt`.
    static func resolve(_ typed: String, folder: String) -> String {
        let joined = typed.hasPrefix("/") || folder.isEmpty ? typed : folder + "/" + typed
        let absolute = joined.hasPrefix("/")
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !absolute {
                    parts.append(part)
                }
            default: parts.append(part)
            }
        }
        let path = parts.joined(separator: "/")
        return absolute ? "/" + path : (path.isEmpty ? "." : path)
    }

    /// The folder of a notebook path as `rlhf run` was given it: `notebooks/a.rlhf` → `notebooks`, `a.rlhf` → "".
    static func folder(ofNotebook path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

/// Why a text file could not be read, or is no longer the file a run read.
enum TextFileError: Error, Equatable, CustomStringConvertible {
    /// `cannot read 'data/x.txt': no such file`.
    case unreadable(path: String, reason: String)
    /// The bytes' SHA-256 is not the stored one.
    case changed(path: String, sha256: String, stored: String)

    var description: String {
        switch self {
        case let .unreadable(path, reason): "cannot read '\(path)': \(reason)"
        case let .changed(path, sha256, stored):
            "'\(path)' has changed since the run read it (its SHA-256 is \(sha256), the store has \(stored))"
        }
    }
}
