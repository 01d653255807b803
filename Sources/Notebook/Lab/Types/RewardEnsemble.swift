import Alignment
import Engine
import Language
import Models
import Store

/// A reward-model ensemble bound to a name; stored as one checkpoint holding every member.
struct EnsembleValue: CheckpointedValue {
    var ensemble: RewardEnsemble

    var labType: any LabType.Type { RewardEnsembleType.self }
    var checkpoint: Checkpoint { RewardEnsembleType.checkpoint(self) }

    var displayText: String {
        "RewardEnsemble(\(ensemble.members.count) × \(ensemble.input) → \(ensemble.hidden) → 1)"
    }
}

/// `RewardEnsemble`: k reward models fitted on bootstrap resamples; their spread drives active querying.
enum RewardEnsembleType: CheckpointLabType {
    static let id = LabTypeID.rewardEnsemble
    static let summary =
        "k reward models, each fitted on a bootstrap resample; their mean scores, their spread is doubt"
    static let checkpointKind = CheckpointKind.rewardEnsemble

    static var members: [LabMember<EnsembleValue>] {
        [
            LabMember("members", "int", "number of reward models") { .int($0.ensemble.members.count) },
            LabMember("input", "int", "length of the response vector each member reads") { .int($0.ensemble.input) },
            LabMember("hidden", "int", "width of each member's hidden layer") { .int($0.ensemble.hidden) },
            LabMember("parameters", "int", "weights and biases of all members together") {
                .int($0.ensemble.members.reduce(0) { $0 + $1.network.parameterCount })
            },
        ]
    }

    static func stateDict(of value: EnsembleValue) -> StateDict { value.ensemble.stateDict }
    static func restore(_ dict: StateDict) throws -> EnsembleValue {
        EnsembleValue(ensemble: try RewardEnsemble(stateDict: dict))
    }
}
