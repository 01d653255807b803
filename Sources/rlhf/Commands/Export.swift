import ArgumentParser
import Interop
import Store

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a model version in a format other tools read: --format hf, a Hugging Face GPT-2 directory.",
        discussion: """
            Example: rlhf export 1/lm@3 --format hf -o lm-hf, then in Python \
            GPT2LMHeadModel.from_pretrained("lm-hf"). The directory holds config.json, model.safetensors (GPT-2's \
            names and layouts, F32), vocab.json, tokenizer.json and tokenizer_config.json; --format hf takes 'gpt' \
            checkpoints only.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The model version, RUN/NAME[@N] (the latest without @N).", valueName: "run/name"))
    var model: String
    @Option(help: ArgumentHelp("The format: hf.", valueName: "format")) var format: String
    @Option(
        name: [.short, .long], help: ArgumentHelp("Directory to write into (created if missing).", valueName: "dir"))
    var out: String

    func run() throws {
        let ref = try parseReference(model)
        guard let exporter = ModelExport(rawValue: format) else {
            printError(
                "error: unknown format '\(format)'; use "
                    + ModelExport.allCases.map { "--format \($0.rawValue)" }.joined(separator: " or "))
            throw ExitCode.failure
        }
        if out.isEmpty {
            printError("error: -o needs the path of a directory to write into; it is empty")
            throw ExitCode.failure
        }
        let (info, checkpoint) = try failing { try store.openReadOnly().checkpoint(ref) }
        let files = try failing { try exporter.export(checkpoint, info: info, to: out) }
        for file in files { print(file.path) }
    }
}
