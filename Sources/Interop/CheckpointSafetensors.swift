import Store

/// A stored checkpoint as one safetensors file that PyTorch loads into the model's own class, and such a file back
/// as a checkpoint.
///
/// Tensor names are the checkpoint's own. For the vector models they are what a PyTorch `state_dict` of the seed's
/// classes holds: `layer1.weight` [hidden, input], `layer1.bias` [hidden], `layer2.weight` [output, hidden],
/// `layer2.bias` [output]. The lab keeps an MLP's bias as a [1, n] row and PyTorch as an [n] vector, so those biases
/// are reshaped on the way out and back; nothing else changes, so every value is the stored Float32 bit for bit.
/// Adam's moments (`adam.m.NAME`, `adam.v.NAME`, and `memberK.adam.…` in an ensemble) are left out unless asked for.
///
/// `__metadata__` says what the file is: `format` `pt` (what `safetensors.torch.save_file` writes), `rlhf.kind`
/// (`reward`), `rlhf.config` (the sizes, compact JSON with sorted keys: `{"hidden":16,"input":4,"output":1}`), and
/// whatever provenance the caller adds (`rlhf.source`, `rlhf.content_hash`, `rlhf.version`). A file PyTorch wrote
/// carries none of it: a policy or reward model's sizes are then read from its tensors' shapes.
///
/// ```swift
/// let file = try CheckpointSafetensors.file(checkpoint, withOptimizer: false, provenance: [("rlhf.source", "1/rm@3")])
/// let back = try CheckpointSafetensors.checkpoint(file, kind: nil)   // back's tensors == checkpoint's, minus Adam's
/// ```
public enum CheckpointSafetensors {
    public static let kindKey = "rlhf.kind"
    public static let configKey = "rlhf.config"

    /// The kinds built of two-layer MLPs, whose biases PyTorch keeps as vectors.
    static let mlpKinds: Set<String> = ["policy", "reward", "sampling_policy", "reward_ensemble"]

    /// The kinds whose sizes a file without `rlhf.config` gives by its shapes: the seed's two classes.
    static let shapeConfiguredKinds: Set<String> = ["policy", "reward"]

    /// Whether a tensor or config key belongs to the optimiser rather than the model.
    public static func isOptimizerState(_ name: String) -> Bool {
        name.hasPrefix("adam.") || name.contains(".adam.")
    }

    /// The file for `checkpoint`; `provenance` entries follow the format, kind and config in `__metadata__`.
    public static func file(
        _ checkpoint: Checkpoint, withOptimizer: Bool, provenance: [(key: String, value: String)] = []
    ) throws -> Safetensors {
        let config = try configFields(checkpoint.config).filter { withOptimizer || !isOptimizerState($0.key) }
        let reshapesBiases = mlpKinds.contains(checkpoint.kind)
        let tensors = checkpoint.tensors.filter { withOptimizer || !isOptimizerState($0.name) }.map { tensor in
            let vector = reshapesBiases && isBias(tensor.name) && tensor.shape.count == 2 && tensor.shape[0] == 1
            return Safetensors.Tensor(
                name: tensor.name, shape: vector ? [tensor.shape[1]] : tensor.shape, values: tensor.values)
        }
        let metadata = [
            (key: "format", value: "pt"), (key: kindKey, value: checkpoint.kind),
            (key: configKey, value: configText(config)),
        ]
        return Safetensors(tensors: tensors, metadata: metadata + provenance)
    }

    /// The checkpoint a file holds. `kind` is the kind the caller asks for (nil: the file's `rlhf.kind`); a file that
    /// names another kind, or names none when none is asked for, is refused, as is one whose config is not an object
    /// of integers. The caller rebuilds the model from the result, which checks every name and shape.
    public static func checkpoint(_ file: Safetensors, kind asked: String?) throws -> Checkpoint {
        let metadata = Dictionary(file.metadata, uniquingKeysWith: { first, _ in first })
        let stated = metadata[kindKey]
        if let asked, let stated, asked != stated {
            throw ExportRefusal(
                description: "the file holds a '\(stated)' checkpoint (its rlhf.kind), not a '\(asked)'")
        }
        guard let kind = asked ?? stated else {
            throw ExportRefusal(
                description: "the file does not say which model it holds (no rlhf.kind in its metadata); name the type")
        }
        let reshapesBiases = mlpKinds.contains(kind)
        let tensors = file.tensors.map { tensor in
            let row = reshapesBiases && isBias(tensor.name) && tensor.shape.count == 1
            return StoredTensor(
                name: tensor.name, shape: row ? [1] + tensor.shape : tensor.shape, values: tensor.values)
        }
        let config: [(key: String, value: Int)]
        if let text = metadata[configKey] {
            config = try configFields(text)
        } else if shapeConfiguredKinds.contains(kind) {
            config = try sizes(from: tensors)
        } else {
            throw ExportRefusal(
                description: "a '\(kind)' file needs its sizes in the metadata key \(configKey), which rlhf export "
                    + "writes; this file has none")
        }
        return Checkpoint(kind: kind, config: configText(config), tensors: tensors)
    }

    /// A policy or reward model's sizes from the shapes of `layer1.weight` [hidden, input] and `layer2.weight`
    /// [output, hidden], as PyTorch's `nn.Linear` lays them out.
    static func sizes(from tensors: [StoredTensor]) throws -> [(key: String, value: Int)] {
        func matrix(_ name: String) throws -> [Int] {
            guard let tensor = tensors.first(where: { $0.name == name }) else {
                throw ExportRefusal(description: "the file has no tensor '\(name)', so the model's sizes are unknown")
            }
            guard tensor.shape.count == 2 else {
                throw ExportRefusal(
                    description: "tensor '\(name)' has shape \(tensor.shape); nn.Linear's weight is [out, in]")
            }
            return tensor.shape
        }
        let (first, second) = (try matrix("layer1.weight"), try matrix("layer2.weight"))
        return [("hidden", first[0]), ("input", first[1]), ("output", second[0])]
    }

    private static func isBias(_ name: String) -> Bool { name == "bias" || name.hasSuffix(".bias") }

    /// A config's text (a JSON object of integers) as its members, sorted by key.
    static func configFields(_ text: String) throws -> [(key: String, value: Int)] {
        let parsed: JSONValue
        do {
            parsed = try JSONReader.parse(Array(text.utf8))
        } catch {
            throw ExportRefusal(description: "the config \(JSONWriter.quoted(text)) is not JSON: \(error)")
        }
        guard case let .object(members) = parsed else {
            throw ExportRefusal(description: "the config \(JSONWriter.quoted(text)) is not a JSON object")
        }
        return try members.map { member in
            guard case let .number(literal) = member.value, let n = Int(literal) else {
                throw ExportRefusal(
                    description: "the config's '\(member.key)' is \(member.value.compactText), not an integer")
            }
            return (member.key, n)
        }.sorted { $0.key < $1.key }
    }

    /// Compact JSON with sorted keys, the form the store hashes.
    static func configText(_ fields: [(key: String, value: Int)]) -> String {
        JSONValue.object(
            fields.sorted { $0.key < $1.key }.map { JSONMember(key: $0.key, value: .number(String($0.value))) }
        )
        .compactText
    }
}
