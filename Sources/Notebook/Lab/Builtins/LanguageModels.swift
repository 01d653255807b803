import Alignment
import Engine
import Language
import Models

/// Language models: a text corpus, a GPT over its characters, pretraining it (nanoGPT's recipe: AdamW, warmup and
/// cosine decay, gradient clipping), sampling from it and measuring its perplexity.
extension LabBuiltins {
    static func languageModelBuiltins(_ lab: LabState) -> [Builtin] {
        [corpusBuiltin(lab), gptBuiltin(lab)]
    }

    /// Sizes a GPT may have: enough for any model this lab trains on a CPU, small enough to refuse before memory runs
    /// out (the parameter count is checked against `maxValues` as well).
    static let layerCount = ValidRange.integer(1...64)
    static let headCount = ValidRange.integer(1...64)
    static let modelWidth = ValidRange.integer(1...8192)
    static let contextLength = ValidRange.integer(1...8192)
    /// A corpus's training fraction: both halves must be able to hold text.
    static let splitFraction = ValidRange(lower: (0, false), upper: (1, false), integer: false)

    static func corpusBuiltin(_ lab: LabState) -> Builtin {
        let file = Param.labelled("file", .string)
        let split = Param.labelled("split", .number, default: 0.9, in: splitFraction)
        return Builtin(
            "Corpus", [file, split],
            doc:
                "A UTF-8 text file (path relative to the notebook's folder), one token per character; the first `split` of it for training, the rest for validation."
        ) { args, _ in
            let typed = try file(args)
            guard !typed.isEmpty else { throw file.error(args, "must name a file, got an empty path") }
            let fraction = try split(args)
            let path = TextFile.resolve(typed, folder: lab.folder)
            do {
                return .native(try CorpusValue(path: path, split: fraction))
            } catch let TextFileError.unreadable(path, reason) {
                throw file.error(args, "cannot be read: '\(path)': \(reason)")
            } catch let error as AlignmentError {
                throw file.error(args, "cannot be a corpus: '\(path)': \(error)")
            }
        }
    }

    static func gptBuiltin(_ lab: LabState) -> Builtin {
        let vocab = Param.labelled("vocab", .corpus)
        let layers = Param.labelled("layers", .int, in: layerCount), heads = Param.labelled("heads", .int, in: headCount)
        let dim = Param.labelled("dim", .int, in: modelWidth), context = Param.labelled("context", .int, in: contextLength)
        return Builtin(
            "GPT", [vocab, layers, heads, dim, context],
            doc:
                "A GPT-2 language model over the corpus's characters (its vocabulary is vocab's), initialised as GPT-2 is from the run's generator."
        ) { args, _ in
            let corpus = try vocab(args).corpus
            let (l, h, d, t) = (try layers(args), try heads(args), try dim(args), try context(args))
            guard d % h == 0 else { throw dim.error(args, "must be a multiple of heads (\(h)), got \(d)") }
            let config = GPTConfig(vocab: corpus.tokenizer.count, layers: l, heads: h, dim: d, context: t)
            let perLayer = 12 * d * d + 13 * d
            try checkValues(l + 1, perLayer, args, dim.name)
            try checkValues(corpus.tokenizer.count + t + 2, d, args, dim.name)
            return .native(GPTValue(model: GPT(config: config, rng: &lab.rng), tokenizer: corpus.tokenizer))
        }
    }
}
