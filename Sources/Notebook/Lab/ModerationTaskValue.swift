import Alignment
import Engine
import Language
import Models
import Store

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
        "{\"$type\":\"ModerationTask\",\"dim\":\(task.dim),\"items\":\(task.promptCount),\"noise\":\(task.noise),\"seed\":\"\(task.seed)\",\"test_items\":\(task.testPrompts.rows)}"
    }
}
