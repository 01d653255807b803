import Alignment
import Engine
import Language
import Models
import Store

/// Language models: a text corpus, a GPT over its characters, pretraining it (nanoGPT's recipe: AdamW, warmup and
/// cosine decay, gradient clipping), sampling from it and measuring its perplexity.
extension LabBuiltins {
    static func languageModelBuiltins(_ lab: LabState) -> [Builtin] {
        [corpusBuiltin(lab), gptBuiltin(lab), pretrainBuiltin(lab), sampleBuiltin(lab), perplexityBuiltin()]
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
        let layers = Param.labelled("layers", .int, in: layerCount),
            heads = Param.labelled("heads", .int, in: headCount)
        let dim = Param.labelled("dim", .int, in: modelWidth),
            context = Param.labelled("context", .int, in: contextLength)
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

    /// nanoGPT's hyper-parameters as `pretrain` declares them; the defaults are its CPU `shakespeare_char` run.
    private struct PretrainParameters {
        let lm = Param.inPlace("lm", .gpt), corpus = Param.positional("corpus", .corpus)
        let iters = Param.labelled("iters", .int, default: 2000, in: LabBuiltins.steps)
        let batch = Param.labelled("batch", .int, default: 12, in: .integer(1...100_000))
        let lr = Param.labelled("lr", .number, default: 1e-3, in: learningRate)
        let minLR = Param.labelled("min_lr", .number, default: 1e-4, in: .number(from: 0, to: 100))
        let warmup = Param.labelled("warmup", .int, default: 100, in: .integer(0...10_000_000))
        let decayIters = Param.optional("decay_iters", .int, in: .integer(1...100_000_000))
        let weightDecay = Param.labelled("weight_decay", .number, default: 0.1, in: .number(from: 0, to: 100))
        let clip = Param.labelled("clip", .number, default: 1.0, in: .number(from: 0, to: 1e6))
        let beta2 = Param.labelled("beta2", .number, default: 0.99, in: .number(from: 0, to: 1, includingUpper: false))
        let evalEvery = Param.labelled("eval_every", .int, default: 250, in: LabBuiltins.steps)
        let evalIters = Param.labelled("eval_iters", .int, default: 20, in: .integer(1...100_000))

        var all: [any ParameterDeclaration] {
            [lm, corpus, iters, batch, lr, minLR, warmup, decayIters, weightDecay, clip, beta2, evalEvery, evalIters]
        }
    }

    static func pretrainBuiltin(_ lab: LabState) -> Builtin {
        let p = PretrainParameters()
        return Builtin(
            "pretrain", p.all,
            doc:
                "Trains the GPT on next-character prediction as nanoGPT does: random windows of the training half, AdamW (no decay on biases and norms) with clipped gradients, lr warming up over `warmup` steps then cosine-decaying to min_lr at decay_iters (default: the end of this call), counted on the model's steps so a second call continues; logs NAME.loss per step, NAME.train_loss and NAME.val_loss every eval_every steps and at the end."
        ) { args, context in
            var value = try p.lm(args)
            let data = try p.corpus(args)
            let (batch, iterations) = (try p.batch(args), try p.iters(args))
            let c = value.model.config
            try checkValues(batch * c.context, (c.vocab + 16 * c.dim) * c.layers, args, p.batch.name)
            let (train, validation) = try corpusTokens(data, for: value, p.corpus, args)
            let start = value.optimizer?.step ?? 0
            let schedule = LearningRateSchedule(
                maxRate: Float(try p.lr(args)), minRate: Float(try p.minLR(args)), warmup: try p.warmup(args),
                decayIterations: try p.decayIters(args) ?? start + iterations)
            let adamW = AdamWSettings(
                beta2: Float(try p.beta2(args)), weightDecay: Float(try p.weightDecay(args)),
                clip: Float(try p.clip(args)))
            let settings = PretrainingSettings(
                iterations: iterations, batch: batch, schedule: schedule, adamW: adamW,
                evalEvery: try p.evalEvery(args), evalIters: try p.evalIters(args))
            let metrics = try context.lab {
                try pretrain(
                    &value.model, optimizer: &value.optimizer, train: train, validation: validation,
                    settings: settings, rng: &lab.rng, control: lab.control)
            }
            p.lm.writeBack(value, in: args, lab: lab)
            if let name = p.lm.variable(args) { recordByModelStep(metrics, of: name, from: start, lab: lab) }
            func series(_ name: String) -> [Double] { metrics.filter { $0.name == name }.map(\.value) }
            let (loss, validationLoss) = (series("loss"), series("val_loss"))
            return .record(
                Record([
                    ("loss_start", .double(loss.first ?? .nan)), ("loss", .double(loss.last ?? .nan)),
                    ("train_loss", .double(series("train_loss").last ?? .nan)),
                    ("val_loss_start", .double(validationLoss.first ?? .nan)),
                    ("val_loss", .double(validationLoss.last ?? .nan)), ("steps", .int(start + iterations)),
                ]))
        }
    }

    /// The corpus's halves in the model's token ids; a character the model's vocabulary lacks is an error at the
    /// corpus argument.
    private static func corpusTokens(
        _ data: CorpusValue, for model: GPTValue, _ corpus: Param<CorpusValue>, _ args: Arguments
    ) throws -> (train: ArraySlice<Int>, validation: ArraySlice<Int>) {
        do {
            return (
                try data.corpus.tokens(.train, for: model.tokenizer),
                try data.corpus.tokens(.validation, for: model.tokenizer)
            )
        } catch {
            throw corpus.error(args, "holds text the model cannot read: \(error)")
        }
    }

    /// Records pretraining's metrics (steps counted on the model) as this run's series `NAME.loss`, `NAME.train_loss`
    /// and `NAME.val_loss`, placed after the points `NAME.loss` already has: the model's step `start` is the series'
    /// next step, so a second call continues every series, and a loss estimate sits at the step of the update after it.
    private static func recordByModelStep(_ metrics: [Metric], of name: String, from start: Int, lab: LabState) {
        let base = lab.nextStep[name + ".loss"] ?? 0
        for metric in metrics {
            let series = "\(name).\(metric.name)"
            let step = base + metric.step - start
            lab.metrics.append(MetricPoint(name: series, step: step, value: metric.value))
            lab.nextStep[series] = max(lab.nextStep[series] ?? 0, step + 1)
        }
    }

    static func sampleBuiltin(_ lab: LabState) -> Builtin {
        let lm = Param.positional("lm", .gpt)
        let prompt = Param.labelled("prompt", .string, default: .string("\n"))
        let tokens = Param.labelled("tokens", .int, default: 200, in: .integer(0...100_000))
        let temperature = Param.labelled("temperature", .number, default: 1.0, in: .number(from: 0, to: 100))
        let topK = Param.optional("top_k", .int, in: .integer(1...1_000_000))
        let n = Param.labelled("n", .int, default: 1, in: .integer(1...1000))
        return Builtin(
            "sample", [lm, prompt, tokens, temperature, topK, n],
            doc:
                "n texts, each the prompt and `tokens` characters the GPT writes after it (KV cache), drawn with one seed from the run's generator; temperature 0 is greedy, top_k keeps the k likeliest characters."
        ) { args, _ in
            let value = try lm(args)
            let (count, sequences) = (try tokens(args), try n(args))
            let c = value.model.config
            try checkValues(sequences * c.layers * 2, c.context * c.dim, args, n.name)
            try checkValues(sequences, count, args, tokens.name)
            let ids: [Int]
            do {
                ids = try value.tokenizer.encode(try prompt(args))
            } catch {
                throw prompt.error(args, "cannot be read by the model: \(error)")
            }
            guard !ids.isEmpty else { throw prompt.error(args, "is empty: sampling continues at least one character") }
            var rng = RNG(seed: lab.rng.next())
            let generated: [[Int]]
            do {
                generated = try value.model.sample(
                    prompt: ids, tokens: count, temperature: Float(try temperature(args)), topK: try topK(args),
                    n: sequences, rng: &rng)
            } catch {
                throw args.error(lm.name, "cannot be sampled: \(error)")
            }
            return .list(generated.map { .string(value.tokenizer.decode(ids + $0)) })
        }
    }

    static func perplexityBuiltin() -> Builtin {
        let lm = Param.positional("lm", .gpt), text = Param.positional("text", .string)
        return Builtin(
            "perplexity", [lm, text],
            doc:
                "exp of the GPT's mean cross-entropy predicting each character of text from those before it (within windows of its context); 1 is certainty, the vocabulary size is guessing."
        ) { args, _ in
            let value = try lm(args)
            let ids: [Int]
            do {
                ids = try value.tokenizer.encode(try text(args))
            } catch {
                throw text.error(args, "cannot be read by the model: \(error)")
            }
            guard ids.count >= 2 else {
                throw text.error(args, "has \(ids.count) character\(ids.count == 1 ? "" : "s"); perplexity needs 2")
            }
            return .double(value.model.perplexity(of: ids))
        }
    }
}
