import ArgumentParser
import Interop
import Store

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Write a version in a format other tools read: --format hf, a Hugging Face GPT-2 directory; --format "
            + "jsonl, a preference dataset as TRL's prompt/chosen/rejected records; --format ipynb, a whole run as a "
            + "Jupyter notebook.",
        discussion: """
            Example: rlhf export 1/lm@3 --format hf -o lm-hf, then in Python \
            GPT2LMHeadModel.from_pretrained("lm-hf"). The directory holds config.json, model.safetensors (GPT-2's \
            names and layouts, F32), vocab.json, tokenizer.json and tokenizer_config.json; --format hf takes 'gpt' \
            checkpoints only.

            Example: rlhf export 1/prefs@2 --format jsonl -o prefs.jsonl, then in Python \
            datasets.load_dataset("json", data_files="prefs.jsonl"). One JSON object per feedback row, in uid order: \
            prompt, chosen and rejected (a text row's strings; a vector row's prompt index and arrays of numbers), \
            then uid, annotator, seed (a decimal string) and version. Without -o the lines go to standard output.

            Example: rlhf export 1 --format ipynb -o run.ipynb, then jupyter lab run.ipynb. A run id, not a version: \
            the notebook (nbformat 4.5) has a markdown cell with the run's header, then one code cell per stored cell \
            with its source, its ordinal as execution count, what it printed (stdout), the charts it drew (SVG) and a \
            failure's message (an error output). Without -o the notebook goes to standard output.
            """)

    /// The formats, and what each exports.
    enum Format: String, CaseIterable {
        case hf
        case jsonl
        case ipynb
    }

    @OptionGroup var store: StoreOptions
    @Argument(
        help: ArgumentHelp(
            "The version, RUN/NAME[@N] (the latest without @N); for ipynb, a run id.", valueName: "run/name"))
    var model: String
    @Option(help: ArgumentHelp("The format: hf (a GPT), jsonl (preferences) or ipynb (a run).", valueName: "format"))
    var format: String
    @Option(
        name: [.short, .long],
        help: ArgumentHelp(
            "Directory (hf, created if missing) or file (jsonl, ipynb; standard output without -o) to write.",
            valueName: "path"))
    var out: String?

    func run() throws {
        let ref = try format == Format.ipynb.rawValue ? Self.runReference(model) : parseReference(model)
        guard let chosen = Format(rawValue: format) else {
            printError(
                "error: unknown format '\(format)'; use "
                    + Format.allCases.map { "--format \($0.rawValue)" }.joined(separator: " or "))
            throw ExitCode.failure
        }
        if out?.isEmpty == true {
            printError(
                "error: -o needs the path of a \(chosen == .hf ? "directory" : "file") to write into; it is empty")
            throw ExitCode.failure
        }
        switch chosen {
        case .hf:
            guard let out, let exporter = ModelExport(rawValue: chosen.rawValue) else {
                printError("error: --format hf needs -o DIR, the directory to write into")
                throw ExitCode.failure
            }
            let (info, checkpoint) = try failing { try store.openReadOnly().checkpoint(ref) }
            let files = try failing { try exporter.export(checkpoint, info: info, to: out) }
            for file in files { print(file.path) }
        case .jsonl:
            let (info, rows) = try failing { try store.openReadOnly().datasetRows(ref) }
            let lines = PreferenceExport.jsonLines(rows, version: info.version)
            guard let out else {
                for line in lines { print(line) }
                return
            }
            try failing { try PreferenceExport.write(lines, to: out) }
            print("\(out) · \(lines.count) rows of \(info.run)/\(info.object)@\(info.version)")
        case .ipynb:
            try exportNotebook(run: ref.run)
        }
    }
}
