import Alignment
import Engine
import Foundation
import Language
import Models
import Store

/// How notebook values become store records: models as checkpoints, preference datasets as feedback rows, and
/// everything else as JSON bindings (tasks and annotators by the parameters and seed that rebuild them).
extension ModelValue {
    var checkpoint: Checkpoint { Self.checkpoint(stateDict) }

    static func checkpoint(_ dict: StateDict) -> Checkpoint {
        let config = "{" + dict.config.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
        return Checkpoint(kind: dict.kind, config: config,
                          tensors: dict.tensors.map { StoredTensor(name: $0.name, shape: $0.tensor.shape, values: $0.tensor.data) })
    }
}

extension DatasetValue {
    var objectState: ObjectState {
        .dataset(kind: "preferences", config: "{\"dim\":\(dataset.dim)}", rows: dataset.rows.map {
            FeedbackRow(uid: $0.uid, prompt: $0.prompt, chosen: $0.chosen, rejected: $0.rejected, annotator: $0.annotator, seed: $0.seed)
        })
    }
}

enum BindingEncoder {
    /// The name under which the run's generator state is saved with every commit.
    static let rngBinding = "$rng"

    /// Bindings and versionable objects of a session's variables, in name order.
    static func encode(globals: [String: Value], rng: RNG) -> (bindings: [(name: String, value: BindingValue)], objects: [(name: String, state: ObjectState)]) {
        var bindings: [(name: String, value: BindingValue)] = []
        var objects: [(name: String, state: ObjectState)] = []
        for name in globals.keys.sorted() {
            guard let value = globals[name] else { continue }
            if case let .native(native) = value {
                if let model = native as? any CheckpointedValue {
                    objects.append((name, .checkpoint(model.checkpoint)))
                    bindings.append((name, .object(name: name)))
                    continue
                }
                if let data = native as? DatasetValue {
                    objects.append((name, data.objectState))
                    bindings.append((name, .object(name: name)))
                    continue
                }
            }
            bindings.append((name, .value(json: json(value))))
        }
        let state = rng.state.map { "\"\($0)\"" }.joined(separator: ",")
        bindings.append((rngBinding, .value(json: "{\"$type\":\"RNG\",\"state\":[\(state)]}")))
        return (bindings, objects)
    }

    static func json(_ value: Value) -> String {
        if let plain = value.toJSON() { return plain }
        switch value {
        case let .native(native as TaskValue):
            let t = native.task
            return "{\"$type\":\"VectorTask\",\"candidates\":\(t.candidateCount),\"dim\":\(t.dim),\"noise\":\(t.noise),"
                + "\"prompts\":\(t.promptCount),\"seed\":\"\(t.seed)\",\"test_prompts\":\(t.testCount)}"
        case let .native(native as AnnotatorValue):
            return "{\"$type\":\"Annotator\",\"name\":\(Value.string(native.annotator.name).quotedText)}"
        case let .native(native as any BindingJSON):
            return native.bindingJSON
        case let .function(f):
            return "{\"$type\":\"function\",\"name\":\(Value.string(f.name).quotedText)}"
        case let .double(x):
            // NaN and infinities, which JSON lacks (e.g. a fit result without a task).
            return "{\"$double\":\"\(x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf"))\"}"
        case let .list(items):
            // A list holding natives (a panel's annotators) or non-finite numbers: each element encoded alone.
            return "[" + items.map(json).joined(separator: ",") + "]"
        case let .record(record):
            return "{" + record.fields.map { Value.string($0.key).quotedText + ":" + json($0.value) }.joined(separator: ",") + "}"
        default:
            return "{\"$type\":\(Value.string(value.typeName).quotedText)}"
        }
    }
}
