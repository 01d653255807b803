/// Every type a notebook can bind, by the name notebooks and stored bindings use. The registry: a new type adds a
/// case here and the compiler then asks for its line in `type` (and the type's file declares `id = .newCase`).
enum LabTypeID: String, CaseIterable, Sendable {
    case policyModel = "PolicyModel"
    case rewardModel = "RewardModel"
    case rewardEnsemble = "RewardEnsemble"
    case samplingPolicy = "SamplingPolicy"
    case preferences = "Preferences"
    case vectorTask = "VectorTask"
    case moderationTask = "ModerationTask"
    case supportTask = "SupportTask"
    case annotator = "Annotator"
    case corpus = "Corpus"
    case gpt = "GPT"
    case textRewardModel = "TextRewardModel"
    case textTask = "TextTask"

    var type: any LabType.Type {
        switch self {
        case .policyModel: PolicyModelType.self
        case .rewardModel: RewardModelType.self
        case .rewardEnsemble: RewardEnsembleType.self
        case .samplingPolicy: SamplingPolicyType.self
        case .preferences: PreferencesType.self
        case .vectorTask: VectorTaskType.self
        case .moderationTask: ModerationTaskType.self
        case .supportTask: SupportTaskType.self
        case .annotator: AnnotatorType.self
        case .corpus: CorpusType.self
        case .gpt: GPTType.self
        case .textRewardModel: TextRewardModelType.self
        case .textTask: TextTaskType.self
        }
    }

    /// The type named `name` as notebooks write it (`VectorTask`), or nil.
    init?(named name: String) { self.init(rawValue: name) }
}

/// The `kind` a checkpoint is stored under; the raw values are the strings the domain's `StateDict`s carry and
/// every store already holds.
enum CheckpointKind: String, CaseIterable, Sendable {
    case policy
    case reward
    case samplingPolicy = "sampling_policy"
    case rewardEnsemble = "reward_ensemble"
    case gpt
    case textReward = "text_reward"

    /// The lab type that rebuilds a checkpoint of this kind.
    var type: any CheckpointLabType.Type {
        switch self {
        case .policy: PolicyModelType.self
        case .reward: RewardModelType.self
        case .samplingPolicy: SamplingPolicyType.self
        case .rewardEnsemble: RewardEnsembleType.self
        case .gpt: GPTType.self
        case .textReward: TextRewardModelType.self
        }
    }
}

/// The `kind` a dataset is stored under.
enum DatasetKind: String, CaseIterable, Sendable {
    case preferences

    var type: any DatasetLabType.Type {
        switch self {
        case .preferences: PreferencesType.self
        }
    }
}
