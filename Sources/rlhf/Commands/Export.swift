import ArgumentParser
import Interop
import Notebook
import Store

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Write a version in a format other tools read: a safetensors file PyTorch loads, a Hugging Face GPT-2 "
            + "directory, a preference dataset as TRL's prompt/chosen/rejected records, a task's arrays, or a whole run "
            + "as a Jupyter notebook or logged to an MLflow tracking server.",
        discussion: """
            Example: rlhf export 1/rm@3 -o rm.safetensors, then in Python \
            model.load_state_dict(safetensors.torch.load_file("rm.safetensors")) for the seed's RewardModel class. \
            The names and layouts are a PyTorch state_dict's (layer1.weight [hidden, input], layer1.bias [hidden], \
            layer2.*); the file's __metadata__ holds rlhf.kind, rlhf.config (the sizes), rlhf.source, \
            rlhf.content_hash and rlhf.version. Adam's state is left out unless --with-optimizer. Any model exports \
            this way; rlhf import FILE.safetensors --as NAME brings one back.

            Example: rlhf export 1/lm@3 --format hf -o lm-hf, then in Python \
            GPT2LMHeadModel.from_pretrained("lm-hf"). The directory holds config.json, model.safetensors (GPT-2's \
            names and layouts, F32), vocab.json, tokenizer.json and tokenizer_config.json; --format hf takes 'gpt' \
            checkpoints only.

            Example: rlhf export 1/prefs@2 -o prefs.jsonl, then in Python \
            datasets.load_dataset("json", data_files="prefs.jsonl"). One JSON object per feedback row, in uid order: \
            prompt, chosen and rejected (a text row's strings; a vector row's prompt index and arrays of numbers), \
            then uid, annotator, seed (a decimal string) and version (a text row then its prompt_index, token ids \
            and sampling, so rlhf import F.jsonl --as NAME brings back the same content). Without -o the lines go \
            to standard output.

            Example: rlhf export 1/task -o task, for a task (VectorTask, ModerationTask, SupportTask, TextTask): the \
            store keeps a task as its parameters and seed, so this writes what they make, task/task.safetensors \
            (prompts, the held-out split, every candidate's response and gold, the hidden gold's parameters) and \
            task/task.json (type, parameters, sizes, how gold is computed, what each tensor holds), for evaluating \
            on exactly the lab's inputs elsewhere.

            Example: rlhf export 1 -o run.ipynb, then jupyter lab run.ipynb. A run id, not a version: the notebook \
            (nbformat 4.5) has a markdown cell with the run's header, then one code cell per stored cell with its \
            source, its ordinal as execution count, what it printed (stdout), the charts it drew (SVG) and a \
            failure's message (an error output). Without -o (and with --format ipynb) it goes to standard output.

            Example: rlhf export 1 --mlflow http://127.0.0.1:5000, then open the printed URL in the MLflow UI. The \
            run goes to MLflow's tracking REST API: an experiment (--experiment, else the notebook's name; created \
            if missing), a run named as ours (or "run 1") with our start and end times and status (FINISHED, FAILED, \
            KILLED), the parameters as params, tags (mlflow.source.name, mlflow.note.content, \
            mlflow.source.git.commit, rlhf.run_id, rlhf.store, rlhf.version, rlhf.cells, where it ran, the run's \
            own tags), every metric point with its step and its commit's time, in requests within MLflow's batch \
            limits, then the charts (charts/*.svg) and the run as a notebook (run-1.ipynb) as artifacts, and \
            models/NAME.safetensors with --with-models. MLFLOW_TRACKING_TOKEN (bearer) or MLFLOW_TRACKING_USERNAME \
            and MLFLOW_TRACKING_PASSWORD (basic) authenticate, as for MLflow's own client. The store is only read.

            Without --format the format is the extension of -o (.safetensors, .jsonl or .ipynb), or task when NAME \
            is a task.
            """)

    /// The formats, and what each exports.
    enum Format: String, CaseIterable {
        case safetensors
        case hf
        case jsonl
        case task
        case ipynb

        /// The format a file name asks for by its extension, if any.
        init?(extensionOf path: String) {
            guard let dot = path.lastIndex(of: "."), path[dot...].contains(where: { $0 != "/" }) else { return nil }
            let ext = String(path[path.index(after: dot)...])
            guard ext != Format.hf.rawValue, ext != Format.task.rawValue, let format = Format(rawValue: ext) else {
                return nil
            }
            self = format
        }
    }

    @OptionGroup var store: StoreOptions
    @Argument(
        help: ArgumentHelp(
            "The version, RUN/NAME[@N] (the latest without @N); for ipynb and --mlflow, a run id.",
            valueName: "run/name"))
    var model: String
    @Option(
        help: ArgumentHelp(
            "The format: safetensors (any model), hf (a GPT), jsonl (preferences), task or ipynb (a run); by default "
                + "the extension of -o, or task for a task.",
            valueName: "format"))
    var format: String?
    @Option(
        name: [.short, .long],
        help: ArgumentHelp(
            "File (safetensors; jsonl and ipynb, standard output without -o) or directory (hf and task, created if "
                + "missing) to write.",
            valueName: "path"))
    var out: String?
    @Flag(help: "safetensors: include Adam's moments (adam.m.NAME, adam.v.NAME) and its step count in the metadata.")
    var withOptimizer = false
    @Option(
        help: ArgumentHelp(
            "Log the run (a run id) to the MLflow tracking server at this URI: params, tags, every metric point, the "
                + "charts and the run as a notebook.",
            valueName: "uri"))
    var mlflow: String?
    @Option(
        help: ArgumentHelp(
            "--mlflow: the experiment to log into, created if missing (default: the run's notebook name, or rlhf).",
            valueName: "name"))
    var experiment: String?
    @Flag(help: "--mlflow: also upload each model's latest version as models/NAME.safetensors.")
    var withModels = false

    func run() throws {
        try checkMLflowOptions()
        if let mlflow { return try exportToMLflow(uri: mlflow) }
        // --format ipynb exports a whole run: its argument is a run id (`1`), not RUN/NAME.
        let named = try namedFormat()
        let ref = try named == .ipynb ? Self.runReference(model) : parseReference(model)
        let chosen = try named ?? inferredFormat(ref)
        if out?.isEmpty == true {
            let folder = chosen == .hf || chosen == .task
            printError("error: -o needs the path of a \(folder ? "directory" : "file") to write into; it is empty")
            throw ExitCode.failure
        }
        if withOptimizer && chosen != .safetensors {
            printError("error: --with-optimizer applies to --format safetensors only")
            throw ExitCode.failure
        }
        switch chosen {
        case .safetensors:
            guard let out else {
                printError("error: --format safetensors needs -o FILE.safetensors, the file to write")
                throw ExitCode.failure
            }
            let (info, checkpoint) = try failing { try store.openReadOnly().checkpoint(ref) }
            let bytes = try failing { try Self.safetensors(info, checkpoint, withOptimizer: withOptimizer) }
            try failing { try OutputFile.write(bytes, to: out) }
            print("\(out) · \(info.run)/\(info.object)@\(info.version) (\(checkpoint.kind))")
        case .hf:
            guard let out, let exporter = ModelExport(rawValue: chosen.rawValue) else {
                printError("error: --format hf needs -o DIR, the directory to write into")
                throw ExitCode.failure
            }
            let (info, checkpoint) = try failing { try store.openReadOnly().checkpoint(ref) }
            let files = try failing { try exporter.export(checkpoint, info: info, to: out) }
            for file in files { print(file.path) }
        case .task:
            guard let out, ref.version == nil else {
                printError(
                    ref.version == nil
                        ? "error: a task exports into a directory: add -o DIR"
                        : "error: a task has no versions (the store keeps its parameters); drop @\(ref.version ?? 0)")
                throw ExitCode.failure
            }
            let files = try failing {
                try TaskExport(store: try store.openReadOnly(), run: ref.run, name: ref.object).write(to: out)
            }
            for file in files { print(file) }
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

    /// `--format`, or else the extension of `-o`; nil when neither names one.
    private func namedFormat() throws -> Format? {
        if let format {
            guard let chosen = Format(rawValue: format) else {
                printError("error: unknown format '\(format)'; use \(Self.formatList)")
                throw ExitCode.failure
            }
            return chosen
        }
        return out.flatMap(Format.init(extensionOf:))
    }

    /// task when the run binds a task to the name; otherwise an error listing the ways to say the format.
    private func inferredFormat(_ ref: VersionRef) throws -> Format {
        if ref.version == nil, (try? TaskExport(store: try store.openReadOnly(), run: ref.run, name: ref.object)) != nil
        {
            return .task
        }
        printError(
            "error: say which format to write: \(Self.formatList), or -o with a .safetensors, .jsonl or .ipynb name")
        throw ExitCode.failure
    }

    private static var formatList: String { Format.allCases.map { "--format \($0.rawValue)" }.joined(separator: ", ") }
}
