import Foundation

/// A checkpoint whose tensors are encoded to bytes and hashed, sorted by name.
struct PreparedCheckpoint: Sendable {
    struct Tensor: Sendable {
        var name: String
        var shape: [Int]
        var bytes: Data
        var blobHash: String
    }

    var name: String
    var kind: String
    var config: String
    var tensors: [Tensor]
    var contentHash: String

    init(name: String, checkpoint: Checkpoint) throws {
        var seen = Set<String>()
        var tensors: [Tensor] = []
        for tensor in checkpoint.tensors {
            guard seen.insert(tensor.name).inserted else {
                throw StoreError.badTensor(object: name, tensor: tensor.name, reason: "the name appears twice")
            }
            guard let expected = tensor.expectedCount else {
                throw StoreError.badTensor(
                    object: name, tensor: tensor.name,
                    reason: "shape \(TensorShape.encode(tensor.shape)) has a negative or overflowing dimension")
            }
            guard expected == tensor.values.count else {
                throw StoreError.badTensor(
                    object: name, tensor: tensor.name,
                    reason: "it has \(tensor.values.count) values but shape \(TensorShape.encode(tensor.shape)) "
                        + "needs \(expected)")
            }
            try Self.checkFinite(tensor, object: name)
            let bytes = FloatBytes.encode(tensor.values)
            tensors.append(
                Tensor(name: tensor.name, shape: tensor.shape, bytes: bytes, blobHash: ContentHash.blob(bytes)))
        }
        tensors.sort { $0.name < $1.name }
        self.name = name
        self.kind = checkpoint.kind
        self.config = checkpoint.config
        self.tensors = tensors
        self.contentHash = ContentHash.checkpoint(
            kind: checkpoint.kind, config: checkpoint.config,
            manifest: tensors.map { ($0.name, $0.shape, $0.blobHash) })
    }

    /// The last line of defence against a blown-up model: a tensor holding NaN or an infinity is never committed
    /// (training stops before handing one back; this catches any path that does not). Metrics may be NaN, tensors not.
    static func checkFinite(_ tensor: StoredTensor, object: String) throws {
        guard let index = tensor.values.firstIndex(where: { !$0.isFinite }) else { return }
        let value = tensor.values[index]
        throw StoreError.badTensor(
            object: object, tensor: tensor.name,
            reason: "value \(index) is \(value.isNaN ? "NaN" : value < 0 ? "-inf" : "inf"); a model holding non-finite "
                + "numbers is never committed")
    }
}

extension Checkpoint {
    /// The hash the store gives this checkpoint when it commits it (`rlhf log` shows it), so a file written outside
    /// the store can say which stored version it is; throws as a commit would for a tensor that does not fit its shape.
    public func contentHash() throws -> String {
        try PreparedCheckpoint(name: "checkpoint", checkpoint: self).contentHash
    }
}
