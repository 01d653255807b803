import Engine
import Language
import Store

/// How a session's variables become store records: each lab value as its type's stored form (models as
/// checkpoints, preference datasets as feedback rows, tasks and annotators as JSON bindings of the parameters that
/// rebuild them), everything else as plain JSON. `StoredValueReader` is the inverse.
enum BindingEncoder {
    /// The name under which the run's generator state is saved with every commit.
    static let rngBinding = "$rng"

    /// Bindings and versionable objects of a session's variables, in name order.
    static func encode(globals: [String: Value], rng: RNG)
        -> (bindings: [(name: String, value: BindingValue)], objects: [(name: String, state: ObjectState)])
    {
        var bindings: [(name: String, value: BindingValue)] = []
        var objects: [(name: String, state: ObjectState)] = []
        for name in globals.keys.sorted() {
            guard let value = globals[name] else { continue }
            if case let .native(native as any LabValue) = value, let state = objectState(native) {
                objects.append((name, state))
                bindings.append((name, .object(name: name)))
                continue
            }
            bindings.append((name, .value(json: json(value))))
        }
        bindings.append((rngBinding, .value(json: generatorJSON(rng))))
        return (bindings, objects)
    }

    /// The versioned object a model or dataset is stored as; nil for values stored in the bindings.
    static func objectState(_ native: any LabValue) -> ObjectState? {
        switch native.labType.storage {
        case let .checkpoint(type): type.checkpoint(of: native).map(ObjectState.checkpoint)
        case let .dataset(type): type.objectState(of: native)
        case .binding: nil
        }
    }

    /// `{"$type":"RNG","state":["…","…","…","…"]}`.
    static func generatorJSON(_ rng: RNG) -> String {
        typed(StoredGenerator.typeName) {
            let stored = StoredGenerator(state: rng.state)
            return try CanonicalJSONEncoder.encode(TypedBinding(type: StoredGenerator.typeName, payload: stored))
        }
    }

    /// The JSON `body` encodes. The canonical encoder never throws and stored forms are plain `Codable` structs, so
    /// the fallback is unreachable in practice; if a form ever threw, its binding would keep only `{"$type":NAME}`,
    /// which the reader refuses by name ("cannot be rebuilt from what the store keeps of it") rather than guess.
    private static func typed(_ typeName: String, _ body: () throws -> String?) -> String {
        do {
            if let json = try body() { return json }
        } catch {}
        return "{\"$type\":\(Value.string(typeName).quotedText)}"
    }

    static func json(_ value: Value) -> String {
        if let plain = value.toJSON() { return plain }
        switch value {
        case let .native(native as any LabValue):
            return typed(native.typeName) {
                guard case let .binding(type) = native.labType.storage else { return nil }
                return try type.bindingJSON(of: native)
            }
        case let .function(f):
            return "{\"$type\":\"function\",\"name\":\(Value.string(f.name).quotedText)}"
        case let .double(x):
            // NaN and infinities, which JSON lacks (e.g. a fit result without a task).
            return "{\"$double\":\"\(x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf"))\"}"
        case let .list(items):
            // A list holding natives (a panel's annotators) or non-finite numbers: each element encoded alone.
            return "[" + items.map(json).joined(separator: ",") + "]"
        case let .record(record):
            let fields = record.fields.map { Value.string($0.key).quotedText + ":" + json($0.value) }
            return "{" + fields.joined(separator: ",") + "}"
        default:
            return "{\"$type\":\(Value.string(value.typeName).quotedText)}"
        }
    }
}
