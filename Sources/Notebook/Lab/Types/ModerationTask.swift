import Alignment
import Engine
import Language
import Models
import Store

/// A moderation task, rebuilt from its parameters and seed whenever needed (its items are never stored).
struct ModerationTaskValue: LabValue {
    var task: ModerationTask

    var labType: any LabType.Type { ModerationTaskType.self }

    var displayText: String {
        "ModerationTask(dim: \(task.dim), items: \(task.promptCount), test items: \(task.testPrompts.rows), "
            + "categories: \(ModerationTask.categories.joined(separator: ", ")))"
    }
}

/// `ModerationTask`: content items of hidden category and severity; the candidates are the actions.
enum ModerationTaskType: BindingLabType {
    static let id = LabTypeID.moderationTask
    static let summary = "content items of a hidden category and severity; a policy picks allow, label or remove"

    static var members: [LabMember<ModerationTaskValue>] {
        [
            LabMember("dim", "int", "length of an item's feature vector") { .int($0.task.dim) },
            LabMember("response_dim", "int", "length of a response: features plus a one-hot action") {
                .int($0.task.responseDim)
            },
            LabMember("items", "int", "training items") { .int($0.task.promptCount) },
            LabMember("test_items", "int", "held-out items, never trained on") { .int($0.task.testPrompts.rows) },
            LabMember("categories", "list of string", "the hidden categories, in index order") { _ in
                .list(ModerationTask.categories.map { .string($0) })
            },
            LabMember("actions", "list of string", "the candidates a policy chooses among") { _ in
                .list(ModerationTask.actions.map { .string($0) })
            },
        ]
    }

    /// `{"$type":"ModerationTask","dim":8,"items":500,"noise":0.3,"seed":"7","test_items":500}`.
    struct Parameters: Codable, Equatable {
        var dim: Int
        var items: Int
        var noise: Float
        var seed: UInt64
        var testItems: Int

        enum CodingKeys: String, CodingKey {
            case dim, items, noise, seed
            case testItems = "test_items"
        }
    }

    static func parameters(of value: ModerationTaskValue) -> Parameters {
        let t = value.task
        return Parameters(dim: t.dim, items: t.promptCount, noise: t.noise, seed: t.seed, testItems: t.testPrompts.rows)
    }

    static func restore(_ p: Parameters) throws -> ModerationTaskValue {
        ModerationTaskValue(
            task: try ModerationTask(dim: p.dim, items: p.items, testItems: p.testItems, noise: p.noise, seed: p.seed))
    }
}
