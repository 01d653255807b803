import Alignment
import Engine
import Language
import Models
import Store

/// A reward-model ensemble bound to a name; stored as one checkpoint holding every member.
struct EnsembleValue: CheckpointedValue {
    var ensemble: RewardEnsemble

    var typeName: String { "RewardEnsemble" }
    var memberNames: [String] { ["members", "input", "hidden", "parameters"] }

    func member(_ name: String) -> Value? {
        switch name {
        case "members": .int(ensemble.members.count)
        case "input": .int(ensemble.input)
        case "hidden": .int(ensemble.hidden)
        case "parameters": .int(ensemble.members.reduce(0) { $0 + $1.network.parameterCount })
        default: nil
        }
    }

    var displayText: String {
        "RewardEnsemble(\(ensemble.members.count) × \(ensemble.input) → \(ensemble.hidden) → 1)"
    }

    var checkpoint: Checkpoint { ModelValue.checkpoint(ensemble.stateDict) }
}
