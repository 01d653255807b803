import Engine
import Language
import Models
import Store

/// The one way a stored value becomes a notebook value again: resume, replay, the shell's `:rollback`, a rollback
/// made by `rlhf rollback` and redone by replay, `load()`, `rollback()` and `name@N` all read through here. Which
/// type rebuilds a stored form is looked up in the registry (`CheckpointKind`, `DatasetKind`, `LabTypeID`);
/// whatever cannot be rebuilt is a `ResumeError` naming the binding and why.
enum StoredValueReader {
    /// A checkpoint or dataset version as the value of the variable `name`.
    static func value(of state: ObjectState, name: String) throws -> Value {
        switch state {
        case let .checkpoint(checkpoint):
            guard let kind = CheckpointKind(rawValue: checkpoint.kind) else {
                throw ResumeError.cannotRestore(name, "unknown model kind '\(checkpoint.kind)'")
            }
            return .native(
                try restoring(name, kind.type.id) {
                    try kind.type.restore(checkpoint: try StoredCheckpoint(checkpoint).stateDict)
                })
        case let .dataset(kind, _, rows):
            guard let datasetKind = DatasetKind(rawValue: kind) else {
                throw ResumeError.cannotRestore(name, "unknown dataset kind '\(kind)'")
            }
            return .native(try restoring(name, datasetKind.type.id) { try datasetKind.type.restore(datasetRows: rows) })
        }
    }

    /// A committed binding's JSON as the value of `name`: a plain value, or a lab type rebuilt from its parameters.
    ///
    /// `objects` holds the values of the commit's objects bound under element paths (`ps[0]`), which a list or
    /// record refers to as `{"$object":"ps[0]"}`.
    static func value(ofBinding json: String, name: String, objects: [String: Value] = [:]) throws -> Value {
        guard let parsed = Value(json: json) else {
            throw ResumeError.cannotRestore(name, "its stored value is not JSON: \(json)")
        }
        return try decode(parsed, name: name, objects: objects)
    }

    /// The run's generator from its `$rng` binding.
    static func generator(json: String) throws -> RNG {
        let name = BindingEncoder.rngBinding
        let stored: StoredGenerator
        do {
            stored = try StoredValueDecoder.decode(StoredGenerator.self, json: json)
        } catch let error as DecodingError {
            throw ResumeError.cannotRestore(name, "not a generator state: it \(describe(error))")
        }
        guard let rng = RNG(state: stored.state) else { throw ResumeError.cannotRestore(name, "not a generator state") }
        return rng
    }

    private static func field(_ record: Record, _ key: String) -> Value? {
        record.fields.first { $0.key == key }?.value
    }

    private static func decode(_ value: Value, name: String, objects: [String: Value]) throws -> Value {
        if case let .list(items) = value {
            return .list(try items.map { try decode($0, name: name, objects: objects) })
        }
        guard case let .record(record) = value else { return value }
        if record.count == 1, case let .string(path)? = field(record, BindingEncoder.objectKey) {
            guard let object = objects[path] else {
                throw ResumeError.cannotRestore(name, "its element '\(path)' has no committed version")
            }
            return object
        }
        if record.count == 1, case let .string(text)? = field(record, "$double") {
            switch text {
            case "nan": return .double(.nan)
            case "inf": return .double(.infinity)
            case "-inf": return .double(-.infinity)
            default: throw ResumeError.cannotRestore(name, "'\(text)' is not a number")
            }
        }
        guard case let .string(typeName)? = field(record, "$type") else {
            return .record(
                Record(try record.fields.map { ($0.key, try decode($0.value, name: name, objects: objects)) }))
        }
        if let id = LabTypeID(named: typeName), case let .binding(type) = id.type.storage {
            return .native(try restoring(name, id) { try type.restore(json: value) })
        }
        switch typeName {
        case StoredGenerator.typeName:
            throw ResumeError.cannotRestore(name, "only the run's own generator ($rng) is restored")
        case "function":
            throw ResumeError.cannotRestore(
                name, "a function is not stored in the bindings; define it in the cell you resume from or later")
        default:
            throw ResumeError.cannotRestore(
                name,
                "a \(typeName) cannot be rebuilt from what the store keeps of it; create it in the cell you "
                    + "resume from or later")
        }
    }

    /// Runs a type's restore, turning what it throws into one `ResumeError` naming the binding.
    private static func restoring(_ name: String, _ type: LabTypeID, _ body: () throws -> any NativeValue) throws
        -> any NativeValue
    {
        do {
            return try body()
        } catch let error as DecodingError {
            throw ResumeError.cannotRestore(name, "its \(type.rawValue) \(describe(error))")
        } catch let error as ResumeError {
            throw error
        } catch {
            throw ResumeError.cannotRestore(name, "\(error)")
        }
    }

    /// `has no 'seed'`, `has 'dim' that is not an integer: "8"`.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, context):
            let prefix = path(context)
            return "has no '\(prefix.isEmpty ? "" : prefix + ".")\(key.stringValue)'"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return "has '\(path(context))' \(context.debugDescription)"
        case let .dataCorrupted(context):
            return "is unreadable: \(context.debugDescription)"
        @unknown default:
            return "is unreadable: \(error)"
        }
    }
}

/// The run's generator as its `$rng` binding stores it: `{"$type":"RNG","state":["…","…","…","…"]}`.
struct StoredGenerator: Codable, Equatable {
    static let typeName = "RNG"
    var state: [UInt64]
}
