import Engine
import Foundation
import Models
import Store

/// Exports a stored checkpoint to a format outside the lab. Each format says which checkpoint kinds it can write;
/// adding a format (safetensors for the MLPs, say) is one more case here and in ``export(_:info:to:)``.
public enum ModelExport: String, CaseIterable, Sendable {
    /// A Hugging Face GPT-2 directory (``GPT2Directory``), for checkpoints of kind `gpt`.
    case hf

    /// The checkpoint kinds this format writes.
    public var kinds: [String] {
        switch self {
        case .hf: [GPT.stateDictKind]
        }
    }

    /// Writes the checkpoint into the directory `path` and returns the files written; a checkpoint of a kind this
    /// format does not write is refused naming both.
    public func export(_ checkpoint: Checkpoint, info: VersionInfo, to path: String) throws -> [URL] {
        let reference = "\(info.run)/\(info.object)@\(info.version)"
        guard kinds.contains(checkpoint.kind) else {
            throw ExportRefusal(
                description: "\(reference) is a '\(checkpoint.kind)' checkpoint; --format \(rawValue) exports "
                    + kinds.map { "'\($0)'" }.joined(separator: ", ") + " checkpoints only")
        }
        let dict = try StateDict(checkpoint: checkpoint)
        switch self {
        case .hf:
            let (model, tokenizer, _) = try GPT.load(dict)
            let provenance = [("rlhf.source", reference), ("rlhf.content_hash", info.contentHash)]
            return try GPT2Directory.write(model, tokenizer: tokenizer, metadata: provenance, to: path)
        }
    }
}

/// A checkpoint the chosen format cannot write, or a file that cannot come in as a checkpoint: one line saying why.
public struct ExportRefusal: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) { self.description = description }
}

extension StateDict {
    /// A stored checkpoint as the state dict its model loads from: the config is the JSON object of integers the
    /// lab stores (`{"context":64,"dim":128,…}`), the tensors are taken as they are.
    public init(checkpoint: Checkpoint) throws {
        let config: [(key: String, value: Int)]
        do {
            guard case let .object(members) = try JSONReader.parse(Array(checkpoint.config.utf8)) else {
                throw ExportRefusal(description: "the checkpoint's config is not a JSON object")
            }
            config = try members.map { member in
                guard case let .number(literal) = member.value, let n = Int(literal) else {
                    throw ExportRefusal(description: "the checkpoint's config '\(member.key)' is not an integer")
                }
                return (member.key, n)
            }
        } catch let failure as JSONReader.Failure {
            throw ExportRefusal(description: "the checkpoint's config is not JSON: \(failure)")
        }
        self.init(
            kind: checkpoint.kind, config: config,
            tensors: checkpoint.tensors.map { (name: $0.name, tensor: Tensor(shape: $0.shape, data: $0.values)) })
    }
}
