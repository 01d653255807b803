import Alignment
import Engine
import Foundation
import Interop
import Language
import Store

/// A task as the two files a peer evaluates on exactly the lab's inputs with (`rlhf export RUN/task -o DIR`), since
/// the store keeps a task only as its parameters and seed:
/// - `task.safetensors`: its arrays, F32. A task with candidates (`VectorTask`, `ModerationTask`, `SupportTask`) has
///   `prompts` [prompts, prompt_dim] and `test_prompts` (the held-out split), `responses` [prompts, candidates,
///   response_dim] (what a reward model reads and a preference row stores, for every candidate), `gold` [prompts,
///   candidates] (the hidden gold reward of each), and `test_responses`, `test_gold`; a `VectorTask` also has
///   `candidates` [candidates, dim], `gold_direction` u₀ [dim], `prompt_directions` and `test_directions` (u(x) of
///   each prompt) and, when contextual, `context` W [dim, dim]. A `TextTask` has its prompts' token ids.
/// - `task.json`: the type, its parameters as stored, the sizes, how gold is computed and what each tensor holds; a
///   `TextTask` adds its prompts as text and the vocabulary.
///
/// A preference row's `prompt` (in `rlhf export RUN/prefs`) indexes `prompts`.
public struct TaskExport {
    public var typeName: String
    public var tensors: Safetensors
    /// One line of JSON.
    public var json: String

    /// The task bound to `name` by the last commit of `run` that binds it.
    public init(store: LabStore, run: Int64, name: String) throws {
        let detail = try store.run(run)
        var stored: String?
        for cell in detail.cells.reversed() {
            guard let commit = cell.commit else { continue }
            if case let .value(json)? = try store.bindings(commit: commit).first(where: { $0.name == name })?.value {
                stored = json
                break
            }
        }
        guard let stored else {
            throw ExportRefusal(description: "run \(run) has no task (or other value) named '\(name)'")
        }
        let value = try StoredValueReader.value(ofBinding: stored, name: name)
        let source = "\(run)/\(name)"
        var fields: [(String, Value)] = [("source", .string(source)), ("rlhf_version", .string(LabVersion.number))]
        if let parameters = Value(json: stored) { fields.append(("parameters", parameters)) }
        var arrays: [(name: String, shape: [Int], values: [Float], meaning: String)] = []
        switch value {
        case let .native(task as TaskValue):
            typeName = task.typeName
            let t = task.task
            let hidden = t.hiddenGold
            arrays += Self.candidateArrays(t)
            arrays += [
                (
                    "candidates", t.candidates.shape, t.candidates.data,
                    "the candidate responses, shared by every prompt"
                ),
                ("gold_direction", [t.dim], hidden.direction, "u₀, the hidden unit direction"),
                (
                    "prompt_directions", hidden.promptDirections.shape, hidden.promptDirections.data,
                    "u(x) of each training prompt"
                ),
                (
                    "test_directions", hidden.testDirections.shape, hidden.testDirections.data,
                    "u(x) of each held-out prompt"
                ),
            ]
            if let w = hidden.context {
                arrays.append(("context", w.shape, w.data, "W, which turns u₀ toward each prompt"))
            }
            fields +=
                Self.sizes(t) + [
                    ("contextual", .bool(t.contextual)), ("noise", .double(Double(t.noise))),
                    ("curvature", .double(Double(t.curvature))),
                    (
                        "gold",
                        .string(
                            "gold(x, y) = u(x)·y − curvature·‖y‖², u(x) = (u₀ + W·x/dim) / ‖u₀ + W·x/dim‖ when contextual, "
                                + "else u₀; a policy's output µ is read as samples y ~ N(µ, noise²·I), whose expected gold "
                                + "is gold(x, µ) − curvature·dim·noise²; a reward model reads "
                                + (t.contextual ? "x then y" : "y"))
                    ),
                ]
        case let .native(task as ModerationTaskValue):
            typeName = task.typeName
            arrays += Self.candidateArrays(task.task)
            fields += Self.oneHot(
                task.task, names: ModerationTask.actions,
                gold: "−|action − the item's right action| (0 for the right one)", item: "item", choice: "action")
        case let .native(task as SupportTaskValue):
            typeName = task.typeName
            arrays += Self.candidateArrays(task.task)
            fields += Self.oneHot(
                task.task, names: SupportTask.replies, gold: "the customer's satisfaction with the reply",
                item: "conversation", choice: "reply")
        case let .native(task as TextTaskValue):
            typeName = task.typeName
            let t = task.task
            func tokens(_ prompts: [[Int]]) -> [Float] { prompts.flatMap { $0.map(Float.init) } }
            arrays += [
                (
                    "prompts", [t.prompts.count, t.promptLength], tokens(t.prompts),
                    "token ids of each training prompt"
                ),
                (
                    "test_prompts", [t.testPrompts.count, t.promptLength], tokens(t.testPrompts),
                    "token ids of each held-out prompt"
                ),
            ]
            fields += [
                ("prompt_texts", .list(t.prompts.map { .string(t.tokenizer.decode($0)) })),
                ("test_prompt_texts", .list(t.testPrompts.map { .string(t.tokenizer.decode($0)) })),
                ("vocabulary", .list(t.tokenizer.vocabulary.map { .string(String($0)) })),
                ("continuation", .int(t.continuation)), ("objective", .string(t.objective.rawValue)),
                ("scorer", .string(t.scorer.name)),
                (
                    "gold",
                    .string(
                        "the scorer's compound score of the continuation alone (negated for objective negative); "
                            + "token id i is vocabulary[i]")
                ),
            ]
        default:
            throw ExportRefusal(
                description: "\(source) is \(ParameterType.article(value.typeName)), not a task; a model exports "
                    + "as -o FILE.safetensors, a dataset as -o FILE.jsonl")
        }
        fields.insert(("type", .string(typeName)), at: 0)
        fields.append(
            ("tensors", .record(Record(arrays.map { ($0.name, .string("\($0.shape): \($0.meaning)")) }))))
        tensors = Safetensors(
            tensors: arrays.map { Safetensors.Tensor(name: $0.name, shape: $0.shape, values: $0.values) },
            metadata: [("format", "np"), ("rlhf.source", source), ("rlhf.type", typeName)])
        json = Value.record(Record(fields)).toJSON() ?? "{}"
    }

    /// Writes `task.safetensors` and `task.json` into `folder` (created if missing) and returns their paths.
    public func write(to folder: String) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ExportRefusal(description: "cannot create '\(folder)': \((error as NSError).localizedDescription)")
        }
        let files = [
            (folder + "/task.safetensors", Data(try tensors.encoded())),
            (folder + "/task.json", Data((json + "\n").utf8)),
        ]
        for (path, data) in files { try OutputFile.write(data, to: path) }
        return files.map(\.0)
    }

    /// Every candidate's response and gold for every training and held-out prompt.
    static func candidateArrays(_ task: some CandidateTask) -> [(
        name: String, shape: [Int], values: [Float], meaning: String
    )] {
        let k = task.candidateCount
        func split(_ count: Int, test: Bool) -> (responses: [Float], gold: [Float]) {
            var responses: [Float] = [], gold: [Float] = []
            for i in 0..<count {
                for c in 0..<k {
                    responses += task.response(prompt: i, test: test, candidate: c)
                    gold.append(task.gold(prompt: i, test: test, candidate: c))
                }
            }
            return (responses, gold)
        }
        let (n, m) = (task.promptCount, task.testPrompts.rows)
        let (train, test) = (split(n, test: false), split(m, test: true))
        return [
            ("prompts", task.prompts.shape, task.prompts.data, "training prompts, what a policy reads"),
            ("test_prompts", task.testPrompts.shape, task.testPrompts.data, "held-out prompts, never trained on"),
            ("responses", [n, k, task.responseDim], train.responses, "what a reward model reads of each candidate"),
            ("gold", [n, k], train.gold, "hidden gold reward of each candidate"),
            ("test_responses", [m, k, task.responseDim], test.responses, "the same for the held-out prompts"),
            ("test_gold", [m, k], test.gold, "the same for the held-out prompts"),
        ]
    }

    /// The fields of a task whose response is the prompt's features then the chosen candidate one-hot.
    static func oneHot(_ task: some CandidateTask, names: [String], gold: String, item: String, choice: String)
        -> [(String, Value)]
    {
        sizes(task) + [
            ("candidate_names", .list(names.map(Value.string))),
            ("gold", .string("\(gold); a response is the \(item)'s features then the \(choice) one-hot")),
        ]
    }

    static func sizes(_ task: some CandidateTask) -> [(String, Value)] {
        [
            ("prompts", .int(task.promptCount)), ("test_prompts", .int(task.testPrompts.rows)),
            ("candidates", .int(task.candidateCount)), ("prompt_dim", .int(task.promptDim)),
            ("response_dim", .int(task.responseDim)),
        ]
    }
}
