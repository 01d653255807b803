import Models

/// `RewardModel`: an MLP from a response vector to a score, trained on preferences by `fit`.
enum RewardModelType: CheckpointLabType {
    static let id = LabTypeID.rewardModel
    static let summary = "an MLP scoring a response vector; fit trains it on preferences (Bradley–Terry loss)"
    static var members: [LabMember<ModelValue>] { ModelValue.networkMembers }
    static let checkpointKind = CheckpointKind.reward

    static func stateDict(of value: ModelValue) -> StateDict { value.stateDict }
    static func restore(_ dict: StateDict) throws -> ModelValue {
        ModelValue(model: .reward(try RewardModel(stateDict: dict)))
    }
}
