import Alignment
import Engine
import Language
import Models
import Store

/// A sampling policy over a task's candidates bound to a name. A value: `reference = policy` copies it.
struct SamplingPolicyValue: CheckpointedValue {
    var policy: SamplingPolicy

    var typeName: String { "SamplingPolicy" }
    var memberNames: [String] { ["input", "hidden", "candidates", "parameters", "trained_steps"] }

    func member(_ name: String) -> Value? {
        switch name {
        case "input": .int(policy.input)
        case "hidden": .int(policy.hidden)
        case "candidates": .int(policy.candidates)
        case "parameters": .int(policy.network.parameterCount)
        case "trained_steps": .int(policy.optimizer?.step ?? 0)
        default: nil
        }
    }

    var displayText: String {
        "SamplingPolicy(\(policy.input) → \(policy.hidden) → softmax over \(policy.candidates) candidates, \(policy.network.parameterCount) parameters)"
    }

    var checkpoint: Checkpoint { ModelValue.checkpoint(policy.stateDict) }
}
