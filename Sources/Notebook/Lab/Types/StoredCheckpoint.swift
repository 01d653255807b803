import Engine
import Models
import Store

/// A model's stored form: its checkpoint kind, its config (`IntegerFields`) and its named tensors.
struct StoredCheckpoint {
    var kind: String
    var config: IntegerFields
    var tensors: [StoredTensor]

    init(kind: CheckpointKind, _ dict: StateDict) {
        self.kind = kind.rawValue
        config = IntegerFields(dict.config)
        tensors = dict.tensors.map { StoredTensor(name: $0.name, shape: $0.tensor.shape, values: $0.tensor.data) }
    }

    /// Reads a stored checkpoint; throws a `DecodingError` when its config is not an object of integers.
    init(_ checkpoint: Checkpoint) throws {
        kind = checkpoint.kind
        config = try StoredValueDecoder.decode(IntegerFields.self, json: checkpoint.config)
        tensors = checkpoint.tensors
    }

    /// As the store keeps it.
    var checkpoint: Checkpoint { Checkpoint(kind: kind, config: config.json, tensors: tensors) }

    var stateDict: StateDict {
        StateDict(
            kind: kind, config: config.fields,
            tensors: tensors.map { (name: $0.name, tensor: Tensor(shape: $0.shape, data: $0.values)) })
    }
}
