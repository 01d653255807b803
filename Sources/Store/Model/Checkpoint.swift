/// A model (or optimiser) state: kind (`"policy"`, `"reward"`, ...), its config as canonical JSON text (sorted keys),
/// and named tensors.
///
/// The store hashes `config` as given, so callers must encode it canonically (`JSONEncoder` with `.sortedKeys`).
/// Tensor order does not matter: the content hash sorts tensors by name, and checkpoints read back from the store
/// list their tensors sorted by name.
public struct Checkpoint: Sendable, Equatable, Codable {
    public var kind: String
    public var config: String
    public var tensors: [StoredTensor]

    public init(kind: String, config: String, tensors: [StoredTensor]) {
        self.kind = kind
        self.config = config
        self.tensors = tensors
    }
}
