import Alignment
import Language
import Models

/// RLHF on text (issue 15): the mock sentiment task of Ziegler et al. (2019), feedback on continuations a GPT policy
/// samples, and how truthful those labels are. `collect` and `label_agreement` are overloads of the vector
/// built-ins (`Feedback.swift`): the task argument picks which.
extension LabBuiltins {
    /// The largest prompt or continuation, in tokens: a GPT's longest context.
    static let textLength = ValidRange.integer(1...8192)

    static func textTaskBuiltin(_ lab: LabState) -> Builtin {
        let corpus = Param.positional("corpus", .corpus)
        let policy = Param.labelled("policy", .gpt)
        let promptChars = Param.labelled("prompt_chars", .int, default: 32, in: textLength)
        let continuation = Param.labelled("continuation", .int, default: 32, in: textLength)
        let prompts = Param.labelled("prompts", .int, default: 256, in: rows)
        let testPrompts = Param.labelled("test_prompts", .int, default: 64, in: testRows)
        let objective = Param.labelled("objective", .string, default: "positive")
        return Builtin(
            "TextTask", [corpus, policy, promptChars, continuation, prompts, testPrompts, objective],
            doc:
                "Ziegler et al.'s mock sentiment task: prompts of prompt_chars characters ending at a word boundary (training prompts from the corpus's training half, test prompts from its validation half, drawn from the run's generator, encoded with the policy's vocabulary); the policy writes `continuation` tokens and the hidden gold is VADER's compound score of them (negated for objective: \"negative\")."
        ) { args, context in
            let data = try corpus(args), lm = try policy(args)
            let (p, c) = (try promptChars(args), try continuation(args))
            guard p + c <= lm.model.config.context else {
                throw continuation.error(
                    args,
                    "with prompt_chars \(p) needs a context of \(p + c) tokens; the policy's is "
                        + "\(lm.model.config.context)")
            }
            let typed = try objective(args)
            guard let goal = TextTask.Objective(rawValue: typed) else {
                throw objective.error(args, "must be \"positive\" or \"negative\", got \"\(typed)\"")
            }
            let counts = (try prompts(args), try testPrompts(args))
            try checkValues(counts.0 + counts.1, p, args, prompts.name)
            let corpusParameters = CorpusType.Parameters(path: data.path, sha256: data.sha256, split: data.corpus.split)
            do {
                let seed = lab.rng.next()
                return .native(
                    try context.lab {
                        try TextTaskType.make(
                            corpus: data.corpus, parameters: corpusParameters, tokenizer: lm.tokenizer,
                            promptChars: p, continuation: c, prompts: counts.0, testPrompts: counts.1,
                            objective: goal, scorer: SentimentScorers.standard, seed: seed)
                    })
            } catch let error as TokenizerError {
                throw corpus.error(args, "holds text the policy cannot read: \(error)")
            }
        }
    }

    static func textCollectBuiltin(_ lab: LabState) -> Builtin {
        let task = Param.positional("task", .textTask)
        let policy = Param.labelled("policy", .gpt)
        let annotator = Param.labelled("annotator", .annotator)
        let pairs = Param.labelled("pairs", .int, in: rows)
        let into = Param.optional("into", .preferences)
        let temperature = Param.labelled("temperature", .number, default: 1.0, in: .number(from: 0, to: 100))
        let topK = Param.optional("top_k", .int, in: .integer(1...1_000_000))
        return Builtin(
            "collect", [task, policy, annotator, pairs, into, temperature, topK],
            doc:
                "Simulated feedback on text: per pair a random training prompt and two continuations the policy samples (KV cache, temperature, top_k), judged by the annotator from the task's hidden gold (Biased(toward: \"length\") counts words); each row keeps the text, the token ids and the sampling settings. Appends to `into`."
        ) { args, context in
            let value = try task(args), lm = try policy(args)
            guard lm.tokenizer == value.task.tokenizer else {
                throw policy.error(args, "reads another vocabulary than the task's: the task was made for another GPT")
            }
            let existing = try into(args)
            try checkValues(try pairs(args) + (existing?.count ?? 0), 2 * value.task.continuation, args, pairs.name)
            let sampling = try context.lab { try TextSampling(temperature: temperature(args), topK: topK(args)) }
            return .native(
                DatasetValue(
                    dataset: try context.lab {
                        try collect(
                            task: value.task, policy: lm.model, annotator: annotator(args), pairs: pairs(args),
                            sampling: sampling, into: existing ?? PreferenceDataset(), rng: &lab.rng,
                            control: lab.control)
                    }))
        }
    }

    static func textLabelAgreementBuiltin() -> Builtin {
        let prefs = Param.positional("prefs", .preferences), task = Param.positional("task", .textTask)
        return Builtin(
            "label_agreement", [prefs, task],
            doc:
                "Fraction of text rows whose chosen continuation the task's hidden gold (VADER) rates strictly higher than the rejected one."
        ) { args, context in
            let (data, value) = (try prefs(args), try task(args))
            return .double(try context.lab { try goldAgreement(data, task: value.task) })
        }
    }
}
