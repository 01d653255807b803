import Alignment
import Engine
import Models
import Store

/// A native whose binding the store keeps as JSON of its own choosing (the parameters and seed that rebuild it).
protocol BindingJSON {
    var bindingJSON: String { get }
}

/// A moderation task, rebuilt from its parameters and seed whenever needed (its items are never stored).
struct ModerationTaskValue: NativeValue, BindingJSON {
    var task: ModerationTask

    var typeName: String { "ModerationTask" }
    var memberNames: [String] { ["dim", "response_dim", "items", "test_items", "categories", "actions"] }

    func member(_ name: String) -> Value? {
        switch name {
        case "dim": .int(task.dim)
        case "response_dim": .int(task.responseDim)
        case "items": .int(task.promptCount)
        case "test_items": .int(task.testPrompts.rows)
        case "categories": .list(ModerationTask.categories.map { .string($0) })
        case "actions": .list(ModerationTask.actions.map { .string($0) })
        default: nil
        }
    }

    var displayText: String {
        "ModerationTask(dim: \(task.dim), items: \(task.promptCount), test items: \(task.testPrompts.rows), categories: \(ModerationTask.categories.joined(separator: ", ")))"
    }

    var bindingJSON: String {
        "{\"$type\":\"ModerationTask\",\"dim\":\(task.dim),\"items\":\(task.promptCount),\"seed\":\"\(task.seed)\",\"test_items\":\(task.testPrompts.rows)}"
    }
}

extension LabBuiltins {
    static func moderationBuiltins(_ lab: LabState) -> [Builtin] {
        [
            Builtin("ModerationTask", [
                .labelled("dim", type: "int", default: .int(16)), .labelled("items", type: "int", default: .int(500)),
                .labelled("test_items", type: "int", default: .int(500)), .labelled("noise", type: "number", default: .double(0.3)),
            ], doc: "Slide 9: content items in five categories, actions allow/label/remove, and a hidden gold moderation policy.") { args, context in
                let task = try context.lab {
                    let dim = try atMost(args, "dim", maxDimension)
                    let counts = try ["items", "test_items"].map { try atMost(args, $0, maxRows) }
                    try checkValues(counts.reduce(0, +), dim, args, "dim")
                    return try ModerationTask(dim: dim, items: counts[0], testItems: counts[1], noise: Float(args.double("noise")), seed: lab.rng.next())
                }
                return .native(ModerationTaskValue(task: task))
            },
            Builtin("category_accuracy", [.positional("policy", type: "SamplingPolicy"), .positional("task", type: "ModerationTask")],
                    doc: "Per category, the fraction of held-out items on which the policy's most likely action is the gold policy's.") { args, context in
                let policy = try samplingPolicy(args, "policy")
                let task = try args.native("task", as: ModerationTaskValue.self, typeName: "ModerationTask").task
                let acc = try context.lab { try task.categoryAccuracy(policy) }
                return .list(zip(ModerationTask.categories, acc).map { .record(Record([("category", .string($0)), ("accuracy", .double($1))])) })
            },
        ]
    }

    /// The task argument `name` as a candidate task (a VectorTask or a ModerationTask).
    static func candidateTask(_ args: Arguments, _ name: String) throws -> any CandidateTask {
        if case let .native(n) = try args.value(name), let m = n as? ModerationTaskValue { return m.task }
        return try args.native(name, as: TaskValue.self, typeName: "VectorTask or ModerationTask").task
    }

    /// `collect(task, annotator:, pairs:, into:)` when the task is a ModerationTask.
    static func collectModeration(_ lab: LabState, _ args: Arguments, _ context: CallContext, _ task: ModerationTask) throws -> Value {
        guard try args.optional("policy") == nil else {
            throw args.error("policy", "is not used with a ModerationTask: feedback compares two actions on one item")
        }
        let annotator = try args.native("annotator", as: AnnotatorValue.self).annotator
        let into = try args.optional("into").map { _ in try args.native("into", as: DatasetValue.self).dataset }
        let data = try context.lab {
            try checkValues(atMost(args, "pairs", maxRows) + (into?.count ?? 0), 2 * task.responseDim, args, "pairs")
            return try collect(moderation: task, annotator: annotator, pairs: args.int("pairs"), into: into ?? PreferenceDataset(), rng: &lab.rng)
        }
        return .native(DatasetValue(dataset: data))
    }
}
