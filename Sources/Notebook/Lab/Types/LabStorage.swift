import Alignment
import Language
import Models
import Store

/// How the store keeps a lab type, with the type itself so the decoder can rebuild it.
enum LabStorage {
    /// As JSON in the commit's bindings: the parameters and seed that rebuild it (tasks, annotators).
    case binding(any BindingLabType.Type)
    /// As a versioned checkpoint: weights, optimiser state and the config that rebuilds the network (models).
    case checkpoint(any CheckpointLabType.Type)
    /// As a versioned dataset of feedback rows.
    case dataset(any DatasetLabType.Type)
}

/// A type the store keeps as a JSON binding `{"$type": NAME, …parameters}`; `Parameters` is its stored form.
protocol BindingLabType: LabType {
    associatedtype Parameters: Codable
    static func parameters(of value: Native) -> Parameters
    /// Rebuilds the value from its stored parameters; throws the domain's error for parameters it refuses.
    static func restore(_ parameters: Parameters) throws -> Native
}

extension BindingLabType {
    static var storage: LabStorage { .binding(Self.self) }

    /// `{"$type":"VectorTask","candidates":64,…}`: the parameters with the type's name added.
    static func bindingJSON(of value: any NativeValue) throws -> String? {
        guard let native = value as? Native else { return nil }
        return try CanonicalJSONEncoder.encode(TypedBinding(type: id.rawValue, payload: parameters(of: native)))
    }

    static func restore(json value: Value) throws -> any NativeValue {
        try restore(StoredValueDecoder.decode(Parameters.self, from: value))
    }
}

/// A type the store keeps as a checkpoint of kind `checkpointKind`.
protocol CheckpointLabType: LabType {
    static var checkpointKind: CheckpointKind { get }
    static func stateDict(of value: Native) -> StateDict
    /// Rebuilds the value (weights and Adam state) from a checkpoint of its kind.
    static func restore(_ dict: StateDict) throws -> Native
}

extension CheckpointLabType {
    static var storage: LabStorage { .checkpoint(Self.self) }

    /// The checkpoint the store keeps of `value`, under this type's kind.
    static func checkpoint(_ value: Native) -> Checkpoint {
        StoredCheckpoint(kind: checkpointKind, stateDict(of: value)).checkpoint
    }

    static func checkpoint(of value: any NativeValue) -> Checkpoint? { (value as? Native).map(checkpoint) }

    static func restore(checkpoint dict: StateDict) throws -> any NativeValue { try restore(dict) }
}

/// A type the store keeps as a versioned dataset of feedback rows of kind `datasetKind`.
protocol DatasetLabType: LabType {
    static var datasetKind: DatasetKind { get }
    static func dataset(of value: Native) -> (config: IntegerFields, rows: [FeedbackRow])
    static func restore(rows: [FeedbackRow]) throws -> Native
}

extension DatasetLabType {
    static var storage: LabStorage { .dataset(Self.self) }

    static func objectState(of value: any NativeValue) -> ObjectState? {
        guard let native = value as? Native else { return nil }
        let (config, rows) = dataset(of: native)
        return .dataset(kind: datasetKind.rawValue, config: config.json, rows: rows)
    }

    static func restore(datasetRows rows: [FeedbackRow]) throws -> any NativeValue { try restore(rows: rows) }
}

/// A binding's payload with `"$type"` added beside its own fields (sorted first, as `$` precedes letters).
struct TypedBinding<Payload: Encodable>: Encodable {
    var type: String
    var payload: Payload

    func encode(to encoder: any Encoder) throws {
        try payload.encode(to: encoder)
        var container = encoder.container(keyedBy: FieldKey.self)
        try container.encode(type, forKey: FieldKey("$type"))
    }
}
