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
            // Models and datasets inside lists and records are objects of their own, named by their path
            // (`ps[0]`, `runs.best`), each bound under that name, so resume, replay and `load` rebuild them.
            var nested: [(name: String, state: ObjectState)] = []
            let text = json(value, path: name, objects: &nested)
            for (path, state) in nested {
                objects.append((path, state))
                bindings.append((path, .object(name: path)))
            }
            bindings.append((name, .value(json: text)))
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
        var ignored: [(name: String, state: ObjectState)] = []
        return json(value, path: nil, objects: &ignored)
    }

    /// `{"$object":"ps[0]"}`: a model or dataset inside a list or record, stored as the object of that name.
    static let objectKey = "$object"

    /// The JSON of `value`, found at `path` (nil where no path names it): a model or dataset below the top level is
    /// appended to `objects` under its path and written as ``objectKey`` naming it.
    private static func json(_ value: Value, path: String?, objects: inout [(name: String, state: ObjectState)])
        -> String
    {
        if let plain = value.toJSON() { return plain }
        switch value {
        case let .native(native as any LabValue) where path?.contains(where: { $0 == "[" || $0 == "." }) == true:
            guard let path, let state = objectState(native) else { break }
            objects.append((path, state))
            return "{\(Value.string(objectKey).quotedText):\(Value.string(path).quotedText)}"
        default: break
        }
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
            let elements = items.enumerated().map { i, item in
                json(item, path: path.map { "\($0)[\(i)]" }, objects: &objects)
            }
            return "[" + elements.joined(separator: ",") + "]"
        case let .record(record):
            let fields = record.fields.map { field in
                let below = path.flatMap { isName(field.key) ? "\($0).\(field.key)" : nil }
                return Value.string(field.key).quotedText + ":" + json(field.value, path: below, objects: &objects)
            }
            return "{" + fields.joined(separator: ",") + "}"
        default:
            return "{\"$type\":\(Value.string(value.typeName).quotedText)}"
        }
    }

    /// A record key that can follow a dot in a path (`runs.best`); other keys' models keep only their type.
    private static func isName(_ text: String) -> Bool {
        guard let head = text.first, head.isLetter || head == "_" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
