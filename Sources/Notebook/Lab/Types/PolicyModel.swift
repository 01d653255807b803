import Models

/// `PolicyModel`: an MLP from a prompt to a response vector, trained by `finetune`.
enum PolicyModelType: CheckpointLabType {
    static let id = LabTypeID.policyModel
    static let summary =
        "an MLP mapping a prompt vector to a response vector; finetune trains it against a reward model"
    static var members: [LabMember<ModelValue>] { ModelValue.networkMembers }
    static let checkpointKind = CheckpointKind.policy

    static func stateDict(of value: ModelValue) -> StateDict { value.stateDict }
    static func restore(_ dict: StateDict) throws -> ModelValue {
        ModelValue(model: .policy(try PolicyModel(stateDict: dict)))
    }
}
