import Alignment
import Engine
import Language
import Models

/// A policy or reward model bound to a name in a notebook. A value: `original = policy` copies it.
struct ModelValue: NativeValue {
    enum Model: Equatable {
        case policy(PolicyModel)
        case reward(RewardModel)
    }
    var model: Model

    var typeName: String {
        switch model {
        case .policy: "PolicyModel"
        case .reward: "RewardModel"
        }
    }

    var network: TwoLayerMLP {
        switch model {
        case let .policy(p): p.network
        case let .reward(r): r.network
        }
    }

    var stateDict: StateDict {
        switch model {
        case let .policy(p): p.stateDict
        case let .reward(r): r.stateDict
        }
    }

    var memberNames: [String] { ["input", "hidden", "output", "parameters", "trained_steps"] }

    func member(_ name: String) -> Value? {
        switch name {
        case "input": .int(network.input)
        case "hidden": .int(network.hidden)
        case "output": .int(network.output)
        case "parameters": .int(network.parameterCount)
        case "trained_steps": .int(stateDict.configValue("adam.step") ?? 0)
        default: nil
        }
    }

    var displayText: String {
        "\(typeName)(\(network.input) → \(network.hidden) → \(network.output), \(network.parameterCount) parameters)"
    }
}

/// A preference dataset bound to a name.
struct DatasetValue: NativeValue {
    var dataset: PreferenceDataset

    var typeName: String { "Preferences" }
    var memberNames: [String] { ["count", "dim", "annotators", "disagreement"] }

    func member(_ name: String) -> Value? {
        switch name {
        case "count": .int(dataset.count)
        case "dim": .int(dataset.dim)
        case "annotators": .list(annotators.map { .string($0) })
        case "disagreement": .double(dataset.disagreement)
        default: nil
        }
    }

    private var annotators: [String] {
        var seen: [String] = []
        for row in dataset.rows where !seen.contains(row.annotator) { seen.append(row.annotator) }
        return seen
    }

    var displayText: String {
        "Preferences(\(dataset.count) pairs of \(dataset.dim)-value responses, annotators: \(annotators.joined(separator: ", ")))"
    }
}

/// A task, rebuilt from its parameters and seed whenever needed (its vectors are never stored).
struct TaskValue: NativeValue {
    var task: VectorTask

    var typeName: String { "VectorTask" }
    var memberNames: [String] { ["dim", "prompts", "candidates", "test_prompts", "noise", "gold_optimum"] }

    func member(_ name: String) -> Value? {
        switch name {
        case "dim": .int(task.dim)
        case "prompts": .int(task.promptCount)
        case "candidates": .int(task.candidateCount)
        case "test_prompts": .int(task.testCount)
        case "noise": .double(Double(task.noise))
        case "gold_optimum": .double(Double(task.goldOptimum))
        default: nil
        }
    }

    var displayText: String {
        "VectorTask(dim: \(task.dim), prompts: \(task.promptCount), candidates: \(task.candidateCount), test prompts: \(task.testCount))"
    }
}

/// A simulated annotator.
struct AnnotatorValue: NativeValue {
    var annotator: Annotator

    var typeName: String { "Annotator" }
    var memberNames: [String] { ["name"] }
    func member(_ name: String) -> Value? { name == "name" ? .string(annotator.name) : nil }
    var displayText: String { annotator.name }
}
