import Alignment
import Engine
import Language
import Models
import Sentiment

/// A text task bound to a name, with what rebuilds it: the corpus it drew its prompts from (path, SHA-256, split),
/// the seed of its draws and its scorer's name. Its prompts are never stored; they are drawn again.
struct TextTaskValue: LabValue {
    var task: TextTask
    var corpus: CorpusType.Parameters
    var seed: UInt64

    var labType: any LabType.Type { TextTaskType.self }

    var displayText: String {
        "TextTask(\(task.prompts.count) prompts and \(task.testPrompts.count) test prompts of \(task.promptLength) "
            + "characters from \(corpus.path), continuations of \(task.continuation) tokens, gold: \(task.scorer.name) "
            + "\(task.objective.rawValue))"
    }
}

/// `TextTask`: Ziegler et al. (2019)'s mock sentiment task — prompts are snippets of a corpus ending at a word
/// boundary, the policy writes a continuation, and the hidden gold is a sentiment model's score of the continuation.
/// Stored as its corpus (checked by SHA-256 like a `Corpus`), the policy's vocabulary, its sizes, objective, scorer
/// and seed: restoring it draws exactly the same prompts.
enum TextTaskType: BindingLabType {
    static let id = LabTypeID.textTask
    static let summary =
        "prompts cut from a corpus at word boundaries, continued by a GPT policy; hidden gold is a sentiment model's "
        + "score of the continuation"

    static var members: [LabMember<TextTaskValue>] {
        [
            LabMember("prompts", "int", "training prompts, drawn from the corpus's training half") {
                .int($0.task.prompts.count)
            },
            LabMember("test_prompts", "int", "held-out prompts, drawn from the corpus's validation half") {
                .int($0.task.testPrompts.count)
            },
            LabMember("prompt_chars", "int", "characters (tokens) in every prompt") { .int($0.task.promptLength) },
            LabMember("continuation", "int", "tokens the policy writes after a prompt") { .int($0.task.continuation) },
            LabMember("objective", "string", "\"positive\" or \"negative\": which way the gold reward points") {
                .string($0.task.objective.rawValue)
            },
            LabMember("scorer", "string", "the sentiment model that is the hidden gold, with its version") {
                .string($0.task.scorer.name)
            },
            LabMember("prompt_texts", "list of string", "the training prompts' text, in order (prompt i is [i])") { value in .list(value.task.prompts.indices.map { .string(value.task.promptText($0)) })
            },
            LabMember("test_prompt_texts", "list of string", "the held-out prompts' text, in order") { value in
                .list(value.task.testPrompts.indices.map { .string(value.task.promptText($0, test: true)) })
            },
        ]
    }

    /// `{"$type":"TextTask","continuation":32,"corpus":"data/tinyshakespeare.txt","objective":"positive",
    /// "prompt_chars":32,"prompts":256,"scorer":"vader 3.3.2","seed":"123","sha256":"86c4…","split":0.9,
    /// "test_prompts":64,"vocabulary":"\n !…"}`.
    struct Parameters: Codable, Equatable {
        var continuation: Int
        var corpus: String
        var objective: String
        var promptChars: Int
        var prompts: Int
        var scorer: String
        var seed: UInt64
        var sha256: String
        var split: Double
        var testPrompts: Int
        /// The policy's characters in token-id order: the tokenizer that encodes the prompts.
        var vocabulary: String

        enum CodingKeys: String, CodingKey {
            case continuation, corpus, objective, prompts, scorer, seed, sha256, split, vocabulary
            case promptChars = "prompt_chars"
            case testPrompts = "test_prompts"
        }
    }

    static func parameters(of value: TextTaskValue) -> Parameters {
        let t = value.task
        return Parameters(
            continuation: t.continuation, corpus: value.corpus.path, objective: t.objective.rawValue,
            promptChars: t.promptLength, prompts: t.prompts.count, scorer: t.scorer.name, seed: value.seed,
            sha256: value.corpus.sha256, split: value.corpus.split, testPrompts: t.testPrompts.count,
            vocabulary: t.tokenizer.decode(Array(0..<t.tokenizer.count)))
    }

    static func restore(_ p: Parameters) throws -> TextTaskValue {
        let corpus = CorpusType.Parameters(path: p.corpus, sha256: p.sha256, split: p.split)
        guard let objective = TextTask.Objective(rawValue: p.objective) else {
            throw AlignmentError.invalidArgument("unknown TextTask objective '\(p.objective)'")
        }
        guard let scorer = SentimentScorers.named(p.scorer) else {
            throw AlignmentError.invalidArgument("unknown sentiment scorer '\(p.scorer)'")
        }
        return try make(
            corpus: CorpusType.restore(corpus).corpus, parameters: corpus,
            tokenizer: CharTokenizer(vocabulary: Array(p.vocabulary.unicodeScalars)), promptChars: p.promptChars,
            continuation: p.continuation, prompts: p.prompts, testPrompts: p.testPrompts, objective: objective,
            scorer: scorer, seed: p.seed)
    }

    /// The task drawn from `seed`, as the built-in and a restore both make it.
    static func make(
        corpus: Corpus, parameters: CorpusType.Parameters, tokenizer: CharTokenizer, promptChars: Int,
        continuation: Int, prompts: Int, testPrompts: Int, objective: TextTask.Objective,
        scorer: any SentimentScorer, seed: UInt64
    ) throws -> TextTaskValue {
        var rng = RNG(seed: seed)
        let task = try TextTask(
            corpus: corpus, tokenizer: tokenizer, promptLength: promptChars, continuation: continuation,
            count: prompts, testCount: testPrompts, objective: objective, scorer: scorer, rng: &rng)
        return TextTaskValue(task: task, corpus: parameters, seed: seed)
    }
}
