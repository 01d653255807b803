import Engine
import Language
import Models
import Store

/// A text reward model bound to a name, with the character vocabulary it reads (its language model's) and its Adam
/// state (nil before any training).
struct TextRewardModelValue: CheckpointedValue {
    var model: TextRewardModel
    var tokenizer: CharTokenizer
    var optimizer: Adam?

    init(model: TextRewardModel, tokenizer: CharTokenizer, optimizer: Adam? = nil) {
        self.model = model
        self.tokenizer = tokenizer
        self.optimizer = optimizer
    }

    var labType: any LabType.Type { TextRewardModelType.self }
    var checkpoint: Checkpoint { TextRewardModelType.checkpoint(self) }

    var displayText: String {
        let c = model.config
        return "TextRewardModel(GPT trunk of \(c.layers) layers, \(c.heads) heads, dim \(c.dim), context "
            + "\(c.context), vocabulary \(c.vocab), and a scalar head on \(model.readout == .last ? "the last token" : "the mean over tokens"); \(model.parameterCount) "
            + "parameters, \(optimizer?.step ?? 0) steps trained)"
    }
}

/// `TextRewardModel`: a GPT trunk started from a pretrained language model and a scalar head on the last token
/// (`GPT2ForSequenceClassification`), stored as a checkpoint of kind "text_reward" (`TextRewardModel.stateDict`): the
/// trunk's tensors under GPT-2's names, `score.weight`, the vocabulary and Adam's state. The store keeps each tensor
/// once by content, so an untrained reward model adds only its head to the language model it came from.
enum TextRewardModelType: CheckpointLabType {
    static let id = LabTypeID.textRewardModel
    static let summary =
        "a GPT trunk with a scalar head on the last token, from a pretrained GPT; fit trains it on text preferences"
    static let checkpointKind = CheckpointKind.textReward

    static var members: [LabMember<TextRewardModelValue>] {
        [
            LabMember("vocab", "int", "vocabulary size: one token per character") { .int($0.model.config.vocab) },
            LabMember("layers", "int", "transformer blocks of the trunk") { .int($0.model.config.layers) },
            LabMember("heads", "int", "attention heads per block") { .int($0.model.config.heads) },
            LabMember("dim", "int", "width of the residual stream, and of the head") { .int($0.model.config.dim) },
            LabMember("context", "int", "longest prompt + continuation it reads, in tokens") {
                .int($0.model.config.context)
            },
            LabMember("parameters", "int", "number of weights, biases and embeddings, the head included") {
                .int($0.model.parameterCount)
            },
            LabMember("trained_steps", "int", "Adam steps taken so far (0 before any training)") {
                .int($0.optimizer?.step ?? 0)
            },
            LabMember("readout", "string", "which hidden states the head reads: \"last\" token or \"mean\" over tokens")
            {
                .string($0.model.readout.rawValue)
            },
        ]
    }

    static func stateDict(of value: TextRewardModelValue) -> StateDict {
        value.model.stateDict(tokenizer: value.tokenizer, optimizer: value.optimizer)
    }

    static func restore(_ dict: StateDict) throws -> TextRewardModelValue {
        let (model, tokenizer, optimizer) = try TextRewardModel.load(dict)
        return TextRewardModelValue(model: model, tokenizer: tokenizer, optimizer: optimizer)
    }
}
