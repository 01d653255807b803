import Alignment
import Engine
import Language
import Models
import Store

/// A customer-service task, rebuilt from its parameters and seed whenever needed (its conversations are never stored).
struct SupportTaskValue: NativeValue, BindingJSON {
    var task: SupportTask

    var typeName: String { "SupportTask" }
    var memberNames: [String] { ["dim", "response_dim", "conversations", "test_conversations", "categories", "replies"] }

    func member(_ name: String) -> Value? {
        switch name {
        case "dim": .int(task.dim)
        case "response_dim": .int(task.responseDim)
        case "conversations": .int(task.promptCount)
        case "test_conversations": .int(task.testPrompts.rows)
        case "categories": .list(SupportTask.categories.map { .string($0) })
        case "replies": .list(SupportTask.replies.map { .string($0) })
        default: nil
        }
    }

    var displayText: String {
        "SupportTask(dim: \(task.dim), conversations: \(task.promptCount), test conversations: \(task.testPrompts.rows), categories: \(SupportTask.categories.joined(separator: ", ")), \(SupportTask.replies.count) replies)"
    }

    var bindingJSON: String {
        "{\"$type\":\"SupportTask\",\"conversations\":\(task.promptCount),\"dim\":\(task.dim),\"noise\":\(task.noise),\"seed\":\"\(task.seed)\",\"test_conversations\":\(task.testPrompts.rows)}"
    }
}
