import Alignment
import Engine
import Foundation
import Language
import Models
import Store

/// What the interactive shell needs beyond running cells: cancellation hygiene, cells of another file, and rolling
/// a variable back to an earlier version.
extension NotebookRunner {
    /// Drops a cancel request that arrived after the cell's last check, so it cannot cancel the next cell.
    public func clearCancel() { lab.cancellation.clear() }

    /// Runs one cell whose diagnostics should name `file` (a notebook loaded into the shell with `:load`).
    public func execute(
        source: String, key: String, title: String, firstLine: Int, echo: Bool, file: String?
    ) -> CellOutcome {
        guard let file else { return execute(source: source, key: key, title: title, firstLine: firstLine, echo: echo) }
        let shellFile = self.file
        self.file = file
        defer { self.file = shellFile }
        return execute(source: source, key: key, title: title, firstLine: firstLine, echo: echo)
    }

    /// Why a shell rollback was refused.
    public struct RollbackError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Makes version `version` of the session's model or dataset `name` current again: the store adds a version
    /// equal to it (nothing is deleted) and the variable is rebound to that content.
    public func rollback(_ name: String, to version: Int) throws -> VersionInfo {
        let objects = try store.run(runID).objects.map(\.name)
        guard objects.contains(name) else {
            throw RollbackError(
                description: "run \(runID) has no model or dataset named '\(name)'"
                    + Diagnostic.didYouMean(name, among: objects))
        }
        let info = try store.rollback(run: runID, object: name, to: version)
        let (_, state) = try store.state(VersionRef(run: runID, object: name, version: info.version))
        interpreter.globals[name] = try StoredValueReader.value(of: state, name: name)
        return info
    }
}
