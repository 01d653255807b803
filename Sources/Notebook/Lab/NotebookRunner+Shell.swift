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
        interpreter.globals[name] = try Self.value(of: state)
        return info
    }

    /// Rebuilds a session value from stored content: a checkpoint as a policy or reward model (weights and Adam
    /// state), a dataset as preferences.
    static func value(of state: ObjectState) throws -> Value {
        switch state {
        case .checkpoint(let checkpoint):
            let config = (try? JSONSerialization.jsonObject(with: Data(checkpoint.config.utf8))) as? [String: Int] ?? [:]
            let dict = StateDict(
                kind: checkpoint.kind, config: config.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) },
                tensors: checkpoint.tensors.map { (name: $0.name, tensor: Tensor(shape: $0.shape, data: $0.values)) })
            switch checkpoint.kind {
            case "policy": return .native(ModelValue(model: .policy(try PolicyModel(stateDict: dict))))
            case "reward": return .native(ModelValue(model: .reward(try RewardModel(stateDict: dict))))
            default:
                throw RollbackError(description: "a checkpoint of kind '\(checkpoint.kind)' cannot be loaded here")
            }
        case .dataset(_, _, let rows):
            let pairs = rows.map {
                PreferencePair(
                    uid: $0.uid, prompt: $0.prompt, chosen: $0.chosen, rejected: $0.rejected, annotator: $0.annotator,
                    seed: $0.seed)
            }
            return .native(DatasetValue(dataset: PreferenceDataset(rows: pairs)))
        }
    }
}
