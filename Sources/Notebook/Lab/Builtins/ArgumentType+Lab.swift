import Alignment
import Language
import Models
import Store

/// The lab's parameter types: each is a name `rlhf builtins` prints and the matcher the binder runs, so
/// `fit(_ rm: inout RewardModel, …)` admits exactly reward models. A capability (`CandidateTask`) matches any value
/// conforming to its protocol (`Types/Capabilities.swift`).
extension ArgumentType where Output == PolicyModel {
    static var policyModel: ArgumentType<PolicyModel> {
        ArgumentType("PolicyModel") { value in
            guard case .native(let native) = value, case .policy(let policy) = (native as? ModelValue)?.model else {
                return nil
            }
            return policy
        }
    }
}

extension ArgumentType where Output == RewardModel {
    static var rewardModel: ArgumentType<RewardModel> {
        ArgumentType("RewardModel") { value in
            guard case .native(let native) = value, case .reward(let model) = (native as? ModelValue)?.model else {
                return nil
            }
            return model
        }
    }
}

extension ArgumentType where Output == Checkpoint {
    /// Any model, whatever its type: a value the store keeps as a checkpoint, read as that checkpoint (`save`).
    static var model: ArgumentType<Checkpoint> {
        ArgumentType("model", noun: "a model") { value in
            guard case .native(let native as any LabValue) = value, case .checkpoint(let type) = native.labType.storage
            else { return nil }
            return type.checkpoint(of: native)
        }
    }
}

extension ArgumentType where Output == SamplingPolicy {
    static var samplingPolicy: ArgumentType<SamplingPolicy> {
        ArgumentType("SamplingPolicy") { value in
            if case .native(let native) = value { (native as? SamplingPolicyValue)?.policy } else { nil }
        }
    }
}

extension ArgumentType where Output == RewardEnsemble {
    static var rewardEnsemble: ArgumentType<RewardEnsemble> {
        ArgumentType("RewardEnsemble") { value in
            if case .native(let native) = value { (native as? EnsembleValue)?.ensemble } else { nil }
        }
    }
}

extension ArgumentType where Output == PreferenceDataset {
    static var preferences: ArgumentType<PreferenceDataset> {
        ArgumentType("Preferences") { value in
            if case .native(let native) = value { (native as? DatasetValue)?.dataset } else { nil }
        }
    }
}

extension ArgumentType where Output == Annotator {
    static var annotator: ArgumentType<Annotator> {
        ArgumentType("Annotator") { value in
            if case .native(let native) = value { (native as? AnnotatorValue)?.annotator } else { nil }
        }
    }
}

extension ArgumentType where Output == [Annotator] {
    /// `Panel(annotators: [a, b, c])`.
    static var annotators: ArgumentType<[Annotator]> {
        ArgumentType("list of Annotators", noun: "a list") { value in
            guard let elements = value.listValue else { return .refused(nil) }
            var annotators: [Annotator] = []
            for (i, element) in elements.enumerated() {
                guard case .native(let native) = element, let annotator = native as? AnnotatorValue else {
                    return .refused("must hold annotators, element \(i) is \(element.typeName)")
                }
                annotators.append(annotator.annotator)
            }
            return .admitted(annotators)
        }
    }
}

extension ArgumentType where Output == VectorTask {
    static var vectorTask: ArgumentType<VectorTask> {
        ArgumentType("VectorTask") { value in
            if case .native(let native) = value { (native as? TaskValue)?.task } else { nil }
        }
    }
}

extension ArgumentType where Output == ModerationTask {
    static var moderationTask: ArgumentType<ModerationTask> {
        ArgumentType("ModerationTask") { value in
            if case .native(let native) = value { (native as? ModerationTaskValue)?.task } else { nil }
        }
    }
}

extension ArgumentType where Output == SupportTask {
    static var supportTask: ArgumentType<SupportTask> {
        ArgumentType("SupportTask") { value in
            if case .native(let native) = value { (native as? SupportTaskValue)?.task } else { nil }
        }
    }
}

extension ArgumentType where Output == any CandidateTaskValue {
    /// The capability: any task value whose responses are a fixed set of candidates per prompt.
    static var candidateTask: ArgumentType<any CandidateTaskValue> {
        .native("CandidateTask", noun: "a VectorTask, ModerationTask or SupportTask")
    }
}

extension ArgumentType where Output == CorpusValue {
    static var corpus: ArgumentType<CorpusValue> {
        ArgumentType("Corpus") { value in
            if case .native(let native) = value { native as? CorpusValue } else { nil }
        }
    }
}

extension ArgumentType where Output == GPTValue {
    static var gpt: ArgumentType<GPTValue> {
        ArgumentType("GPT") { value in
            if case .native(let native) = value { native as? GPTValue } else { nil }
        }
    }
}

extension ArgumentType where Output == TextTaskValue {
    static var textTask: ArgumentType<TextTaskValue> {
        ArgumentType("TextTask") { value in
            if case .native(let native) = value { native as? TextTaskValue } else { nil }
        }
    }
}

extension ArgumentType where Output == TextRewardModelValue {
    static var textRewardModel: ArgumentType<TextRewardModelValue> {
        ArgumentType("TextRewardModel") { value in
            if case .native(let native) = value { native as? TextRewardModelValue } else { nil }
        }
    }
}
