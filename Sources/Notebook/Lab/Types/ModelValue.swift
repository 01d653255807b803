import Alignment
import Engine
import Language
import Models
import Store

/// A policy or reward model bound to a name in a notebook. A value: `original = policy` copies it. Its lab type is
/// `PolicyModelType` or `RewardModelType`, by the model it holds.
struct ModelValue: CheckpointedValue {
    enum Model: Equatable {
        case policy(PolicyModel)
        case reward(RewardModel)
    }
    var model: Model

    var labType: any LabType.Type {
        switch model {
        case .policy: PolicyModelType.self
        case .reward: RewardModelType.self
        }
    }

    var checkpoint: Checkpoint {
        switch model {
        case .policy: PolicyModelType.checkpoint(self)
        case .reward: RewardModelType.checkpoint(self)
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

    /// The members both kinds of model have: the shape of the two-layer network and how far it has been trained.
    static var networkMembers: [LabMember<ModelValue>] {
        [
            LabMember("input", "int", "length of the vector the network reads") { .int($0.network.input) },
            LabMember("hidden", "int", "width of the hidden layer") { .int($0.network.hidden) },
            LabMember("output", "int", "length of the vector the network writes (1 for a reward model)") {
                .int($0.network.output)
            },
            LabMember("parameters", "int", "number of weights and biases") { .int($0.network.parameterCount) },
            LabMember("trained_steps", "int", "Adam steps taken so far (0 before any training)") {
                .int($0.stateDict.configValue("adam.step") ?? 0)
            },
        ]
    }

    var displayText: String {
        "\(typeName)(\(network.input) → \(network.hidden) → \(network.output), \(network.parameterCount) parameters)"
    }
}
