import Interop
import Language

/// `load_hf`: a GPT from a Hugging Face GPT-2 directory (what `rlhf export --format hf` writes), bit for bit.
extension LabBuiltins {
    static func huggingFaceBuiltins(_ lab: LabState) -> [Builtin] { [loadHuggingFaceBuiltin(lab)] }

    static func loadHuggingFaceBuiltin(_ lab: LabState) -> Builtin {
        let dir = Param.positional("dir", .string)
        return Builtin(
            "load_hf", [dir],
            doc:
                "A GPT from a Hugging Face GPT-2 directory (config.json, model.safetensors, vocab.json; path relative to the notebook's folder), as `rlhf export --format hf` writes it."
        ) { args, _ in
            let typed = try dir(args)
            guard !typed.isEmpty else { throw dir.error(args, "must name a directory, got an empty path") }
            let path = TextFile.resolve(typed, folder: lab.folder)
            do {
                let (model, tokenizer) = try GPT2Directory.read(from: path)
                return .native(GPTValue(model: model, tokenizer: tokenizer))
            } catch {
                // Every error of the reader is a `HuggingFaceError`: the file and what is wrong in it.
                throw dir.error(args, "cannot be loaded: \(error)")
            }
        }
    }
}
