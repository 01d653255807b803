import Foundation
import Store

/// Paths and query values of the web view, encoded where they are written and checked where they are read.
enum WebPath {
    /// Characters a path segment keeps as they are; everything else is percent-encoded.
    private static let segmentCharacters = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? text
    }

    static func queryValue(_ text: String) -> String { segment(text) }

    /// `/runs/3/versions/policy@2` for a version (the API's path is this under `/api`).
    static func versionPath(_ info: VersionInfo) -> String { versionsPrefix(info) + "\(info.version)" }

    /// `/runs/3/versions/policy@`: a version number after it makes the path of that version of the object.
    static func versionsPrefix(_ info: VersionInfo) -> String { "/runs/\(info.run)/versions/\(segment(info.object))@" }

    /// A run id or name from a path, checked before the store sees it: digits, or a run name's characters.
    static func run(_ text: String, store: LabStore) throws -> Int64 {
        guard !text.isEmpty, text.count <= 200,
            text.unicodeScalars.allSatisfy({
                CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)
            })
        else {
            throw WebProblem.badRequest("'\(text)' is not a run id or name")
        }
        return try store.runID(text)
    }

    /// `NAME@N` or `NAME` (the latest version) of run `run`.
    static func version(_ text: String, run: Int64) throws -> VersionRef {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        guard !name.isEmpty, name.count <= 200 else { throw WebProblem.badRequest("'\(text)' names no object") }
        guard parts.count == 2 else { return VersionRef(run: run, object: name) }
        guard let version = Int(parts[1]), version > 0 else {
            throw WebProblem.badRequest("'\(parts[1])' in '\(text)' is not a version number (a positive integer)")
        }
        return VersionRef(run: run, object: name, version: version)
    }

    /// `?diff=`: a version of the same object (`2`) or any reference (`4/policy@1`).
    static func diffTarget(_ text: String, of ref: VersionRef) throws -> VersionRef {
        if let version = Int(text) {
            guard version > 0 else { throw WebProblem.badRequest("diff=\(text) is not a version number") }
            return VersionRef(run: ref.run, object: ref.object, version: version)
        }
        do { return try VersionRef(parsing: text) } catch { throw WebProblem.badRequest("diff=\(text): \(error)") }
    }
}
