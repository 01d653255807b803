import Alignment
import Engine
import Language
import Models
import Store

/// A sampling policy over a task's candidates bound to a name. A value: `reference = policy` copies it.
struct SamplingPolicyValue: CheckpointedValue {
    var policy: SamplingPolicy

    var labType: any LabType.Type { SamplingPolicyType.self }
    var checkpoint: Checkpoint { SamplingPolicyType.checkpoint(self) }

    var displayText: String {
        "SamplingPolicy(\(policy.input) → \(policy.hidden) → softmax over \(policy.candidates) candidates, "
            + "\(policy.network.parameterCount) parameters)"
    }
}

/// `SamplingPolicy`: a softmax over a task's candidates, trained by `dpo`, `rloo` and `ppo`.
enum SamplingPolicyType: CheckpointLabType {
    static let id = LabTypeID.samplingPolicy
    static let summary = "a categorical policy over a task's candidates: softmax of an MLP's logits given the prompt"
    static let checkpointKind = CheckpointKind.samplingPolicy

    static var members: [LabMember<SamplingPolicyValue>] {
        [
            LabMember("input", "int", "length of the prompt vector it reads") { .int($0.policy.input) },
            LabMember("hidden", "int", "width of the hidden layer") { .int($0.policy.hidden) },
            LabMember("candidates", "int", "number of candidates it chooses among") { .int($0.policy.candidates) },
            LabMember("parameters", "int", "number of weights and biases") { .int($0.policy.network.parameterCount) },
            LabMember("trained_steps", "int", "Adam steps taken so far (0 before any training)") {
                .int($0.policy.optimizer?.step ?? 0)
            },
        ]
    }

    static func stateDict(of value: SamplingPolicyValue) -> StateDict { value.policy.stateDict }
    static func restore(_ dict: StateDict) throws -> SamplingPolicyValue {
        SamplingPolicyValue(policy: try SamplingPolicy(stateDict: dict))
    }
}
