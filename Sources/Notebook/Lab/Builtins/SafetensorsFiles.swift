import Foundation
import Interop
import Language
import Store

/// `save` and `load_safetensors`: a model as a safetensors file PyTorch loads (`CheckpointSafetensors`), and such a
/// file, written here or by PyTorch from the seed's classes, as a model again.
extension LabBuiltins {
    static func safetensorsBuiltins(_ lab: LabState) -> [Builtin] { [saveBuiltin(lab), loadSafetensorsBuiltin(lab)] }

    static func saveBuiltin(_ lab: LabState) -> Builtin {
        let model = Param.positional("model", .model)
        let file = Param.positional("file", .string)
        let optimizer = Param.labelled("optimizer", .bool, default: .bool(false))
        return Builtin(
            "save", [model, file, optimizer],
            doc:
                "Writes the model to a safetensors file (path relative to the notebook's folder) with a PyTorch state_dict's names and layouts; Adam's state only with optimizer: true. Returns the path as given, so load_safetensors(save(m, f)) reads it back."
        ) { args, _ in
            let checkpoint = try model(args)
            let typed = try file(args)
            guard typed.hasSuffix(".safetensors") else {
                throw file.error(args, "must name a .safetensors file, got \(Value.string(typed).quotedText)")
            }
            let path = TextFile.resolve(typed, folder: lab.folder)
            var provenance: [(key: String, value: String)] = []
            if let name = model.variable(args) { provenance.append(("rlhf.source", "\(lab.runID)/\(name)")) }
            do {
                provenance += [
                    ("rlhf.content_hash", try checkpoint.contentHash()), ("rlhf.version", LabVersion.number),
                ]
                let bytes = try CheckpointSafetensors.file(
                    checkpoint, withOptimizer: try optimizer(args), provenance: provenance
                ).encoded()
                try OutputFile.write(bytes, to: path)
            } catch {
                throw file.error(args, "cannot be written: \(error)")
            }
            return .string(typed)
        }
    }

    static func loadSafetensorsBuiltin(_ lab: LabState) -> Builtin {
        let file = Param.positional("file", .string)
        let type = Param.optional("as", .string)
        return Builtin(
            "load_safetensors", [file, type],
            doc:
                "A model from a safetensors file (path relative to the notebook's folder): one `save` or `rlhf export` wrote, or a PyTorch state_dict of the seed's PolicyModel or RewardModel (then say which with as:)."
        ) { args, _ in
            let typed = try file(args)
            guard !typed.isEmpty else { throw file.error(args, "must name a file, got an empty path") }
            var kind: CheckpointKind?
            if let name = try type(args) {
                kind = CheckpointKind(typeName: name)
                guard kind != nil else { throw type.error(args, CheckpointKind.unknownType(name)) }
            }
            let path = TextFile.resolve(typed, folder: lab.folder)
            do {
                return .native(try readModel(path: path, kind: kind))
            } catch {
                throw file.error(args, "cannot be loaded: \(error)")
            }
        }
    }

    /// The model in the safetensors file at `path`: every tensor the model has, of its shape, and no other.
    static func readModel(path: String, kind: CheckpointKind?) throws -> any NativeValue {
        let bytes = try inputFile(path)
        let checkpoint = try CheckpointSafetensors.checkpoint(Safetensors(bytes: [UInt8](bytes)), kind: kind?.rawValue)
        guard let kind = CheckpointKind(rawValue: checkpoint.kind) else {
            throw ExportRefusal(
                description: "its rlhf.kind '\(checkpoint.kind)' is no model kind of this lab ("
                    + CheckpointKind.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        let value = try kind.type.restore(checkpoint: try StoredCheckpoint(checkpoint).stateDict)
        let expected = Set(kind.type.checkpoint(of: value)?.tensors.map(\.name) ?? [])
        if let extra = checkpoint.tensors.first(where: { !expected.contains($0.name) }) {
            throw ExportRefusal(
                description: "its tensor '\(extra.name)' is not part of \(ParameterType.article(kind.type.id.rawValue))"
            )
        }
        return value
    }
}

extension LabBuiltins {
    /// The bytes of a file a cell reads (`load_safetensors`, `load_preferences`); one that cannot be read is an
    /// ``ExportRefusal`` saying why (`no such file`, `it is a directory`).
    static func inputFile(_ path: String) throws -> Data {
        do {
            try UnreadableNotebook.check(path)
            return try UnreadableNotebook.contents(of: path)
        } catch let unreadable as UnreadableNotebook {
            throw ExportRefusal(description: unreadable.reason)
        }
    }
}

extension CheckpointKind {
    /// The kind of the model type notebooks call `name` (`RewardModel` → `reward`), or nil.
    init?(typeName name: String) {
        guard let kind = Self.allCases.first(where: { $0.type.id.rawValue == name }) else { return nil }
        self = kind
    }

    /// What is wrong with a type name that names no model.
    static func unknownType(_ name: String) -> String {
        "must name a model type (\(allCases.map { $0.type.id.rawValue }.joined(separator: ", "))), got '\(name)'"
    }
}

extension NotebookRunner {
    /// Reads the model in a safetensors file as `load_safetensors(path, as: type)` would, so `rlhf import` refuses a
    /// bad file, naming it, before it creates a run.
    public static func checkSafetensors(path: String, type: String?) throws {
        var kind: CheckpointKind?
        if let type {
            kind = CheckpointKind(typeName: type)
            guard kind != nil else { throw ExportRefusal(description: "--type \(CheckpointKind.unknownType(type))") }
        }
        do {
            _ = try LabBuiltins.readModel(path: path, kind: kind)
        } catch {
            throw ExportRefusal(description: "cannot load '\(path)': \(error)")
        }
    }
}
