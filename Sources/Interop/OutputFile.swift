import Foundation
import Store

/// One exported file: written whole to a temporary file beside it and renamed into place, so a failed export leaves
/// no half-written file and an earlier one intact.
public enum OutputFile {
    /// Writes `bytes` to `path`; an unwritable path is an ``ExportRefusal`` naming it and the system's reason
    /// (`No such file or directory`).
    public static func write(_ bytes: some DataProtocol, to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ExportRefusal(description: "cannot write '\(path)': \(FileProblem.reason(error))")
        }
    }
}
