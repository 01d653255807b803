import Alignment
import Engine
import Language
import Models
import Store

/// A customer-service task, rebuilt from its parameters and seed whenever needed (its conversations are never stored).
struct SupportTaskValue: LabValue {
    var task: SupportTask

    var labType: any LabType.Type { SupportTaskType.self }

    var displayText: String {
        "SupportTask(dim: \(task.dim), conversations: \(task.promptCount), test conversations: "
            + "\(task.testPrompts.rows), categories: \(SupportTask.categories.joined(separator: ", ")), "
            + "\(SupportTask.replies.count) replies)"
    }
}

/// `SupportTask`: customer conversations of hidden category and difficulty; the candidates are the replies.
enum SupportTaskType: BindingLabType {
    static let id = LabTypeID.supportTask
    static let summary = "customer conversations of a hidden category and difficulty; a policy picks one of 8 replies"

    static var members: [LabMember<SupportTaskValue>] {
        [
            LabMember("dim", "int", "length of a conversation's feature vector") { .int($0.task.dim) },
            LabMember("response_dim", "int", "length of a response: features plus a one-hot reply") {
                .int($0.task.responseDim)
            },
            LabMember("conversations", "int", "training conversations") { .int($0.task.promptCount) },
            LabMember("test_conversations", "int", "held-out conversations, never trained on") {
                .int($0.task.testPrompts.rows)
            },
            LabMember("categories", "list of string", "the hidden issue categories, in index order") { _ in
                .list(SupportTask.categories.map { .string($0) })
            },
            LabMember("replies", "list of string", "the candidates a policy chooses among") { _ in
                .list(SupportTask.replies.map { .string($0) })
            },
        ]
    }

    /// `{"$type":"SupportTask","conversations":500,"dim":8,"noise":0.3,"seed":"7","test_conversations":500}`.
    struct Parameters: Codable, Equatable {
        var conversations: Int
        var dim: Int
        var noise: Float
        var seed: UInt64
        var testConversations: Int

        enum CodingKeys: String, CodingKey {
            case conversations, dim, noise, seed
            case testConversations = "test_conversations"
        }
    }

    static func parameters(of value: SupportTaskValue) -> Parameters {
        let t = value.task
        return Parameters(
            conversations: t.promptCount, dim: t.dim, noise: t.noise, seed: t.seed,
            testConversations: t.testPrompts.rows)
    }

    static func restore(_ p: Parameters) throws -> SupportTaskValue {
        SupportTaskValue(
            task: try SupportTask(
                dim: p.dim, conversations: p.conversations, testConversations: p.testConversations, noise: p.noise,
                seed: p.seed))
    }
}
