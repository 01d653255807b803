import Alignment
import Engine
import Foundation
import Language
import Models
import Store

/// Why a run cannot be resumed from its committed bindings.
public enum ResumeError: Error, CustomStringConvertible, Equatable {
    /// A committed binding the session cannot rebuild: its name, why.
    case cannotRestore(String, String)

    public var description: String {
        switch self {
        case let .cannotRestore(name, why): "cannot restore '\(name)': \(why)"
        }
    }
}

extension NotebookRunner {
    /// Starts a child run of `point.parent` that continues at cell `point.cell`: every binding committed before
    /// that cell is restored (models with their Adam state, datasets, plain values, tasks and annotators rebuilt
    /// from their parameters, the run's generator) and each metric series continues at its next step, so the
    /// child's checkpoints and metrics are bitwise those of an uninterrupted run.
    ///
    /// ```swift
    /// let point = try store.resumePoint(run: 3, fromCell: nil)
    /// let runner = try NotebookRunner(store: store, notebook: file, source: text, resuming: point) { print($0) }
    /// // execute cells point.cell... as usual
    /// ```
    public convenience init(
        store: LabStore, notebook: CellFile?, source: String, parameters: String = "{}",
        resuming point: ResumePoint, metadata: RunMetadata = RunMetadata(), output: @escaping (String) -> Void
    ) throws {
        // Rebuild everything before writing the child run, so a binding that cannot be restored writes nothing.
        let restored = try Self.restoredValues(point, store: store)
        try self.init(store: store, notebook: notebook, output: output) {
            try store.beginResumedRun(
                notebook: notebook?.path, source: source, parameters: parameters, from: point, metadata: metadata)
        }
        for (name, value) in restored.globals { interpreter.globals[name] = value }
        if let rng = restored.rng { lab.rng = rng }
        lab.nextStep = point.nextSteps
        ordinal = point.cell - 1
    }

    private static func restoredValues(_ point: ResumePoint, store: LabStore) throws
        -> (globals: [(String, Value)], rng: RNG?)
    {
        var globals: [(String, Value)] = []
        var elements: [String: Value] = [:]
        var rng: RNG?
        // Objects first: a list or record binding refers to the models inside it by their element paths.
        for binding in point.bindings {
            guard case let .object(name) = binding.value else { continue }
            let ref = VersionRef(run: point.parent, object: name, version: binding.version?.version)
            let value = try value(of: store.state(ref).1, name: binding.name)
            if Self.isElementPath(binding.name) {
                elements[binding.name] = value
            } else {
                globals.append((binding.name, value))
            }
        }
        for binding in point.bindings {
            switch binding.value {
            case .object: continue
            case let .value(json) where binding.name == BindingEncoder.rngBinding:
                rng = try StoredValueReader.generator(json: json)
            case let .value(json):
                globals.append(
                    (binding.name, try StoredValueReader.value(ofBinding: json, name: binding.name, objects: elements)))
            }
        }
        return (globals, rng)
    }

    /// `ps[0]`, `runs.best`: the binding of a model inside a list or record, not a variable of its own.
    static func isElementPath(_ name: String) -> Bool { name.contains { $0 == "[" || $0 == "." } }

    /// A stored model or dataset version as the value of `name` (see `StoredValueReader`, the one decoder).
    static func value(of state: ObjectState, name: String) throws -> Value {
        try StoredValueReader.value(of: state, name: name)
    }
}

extension NotebookRunner {
    /// Ordinal of the next cell this runner executes: 1 for a new run, the resume cell for a resumed one.
    public var firstCell: Int { ordinal + 1 }
}

extension NotebookRunner {
    /// Runs a cell of the notebook file as cell number `ordinal` (for runs that skip cells, e.g. `--cells`).
    public func execute(_ cell: Cell, ordinal: Int) -> CellOutcome {
        self.ordinal = ordinal - 1
        return execute(cell)
    }
}
