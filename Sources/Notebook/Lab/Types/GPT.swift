import Engine
import Language
import Models
import Store

/// A GPT language model bound to a name, with the character vocabulary it reads and writes, its AdamW state (nil
/// before any training) and, once `ppo` has trained it, the value head PPO fitted beside it (TRL's
/// `AutoModelForCausalLMWithValueHead`). A value: `frozen = lm` copies it, and the copy's checkpoint reuses every tensor.
///
/// Whatever makes a GPT binding builds one of these: the `GPT(vocab:…)` constructor, `pretrain`, a checkpoint read
/// back by `StoredValueReader`, and an imported Hugging Face model (`GPTValue(model: gpt, tokenizer: tokens)`).
struct GPTValue: CheckpointedValue {
    var model: GPT
    var tokenizer: CharTokenizer
    var optimizer: Adam?
    var valueHead: ValueHead?

    init(model: GPT, tokenizer: CharTokenizer, optimizer: Adam? = nil, valueHead: ValueHead? = nil) {
        self.model = model
        self.tokenizer = tokenizer
        self.optimizer = optimizer
        self.valueHead = valueHead
    }

    var labType: any LabType.Type { GPTType.self }
    var checkpoint: Checkpoint { GPTType.checkpoint(self) }

    var displayText: String {
        let c = model.config
        return "GPT(\(c.layers) layers, \(c.heads) heads, dim \(c.dim), context \(c.context), vocabulary \(c.vocab); "
            + "\(model.parameterCount) parameters, \(optimizer?.step ?? 0) steps trained"
            + (valueHead == nil ? ")" : "; value head)")
    }
}

/// `GPT`: a GPT-2 language model over characters, stored as a checkpoint of kind "gpt" (`GPT.stateDict`): its
/// sizes, its parameters under GPT-2's names, its vocabulary (`tokenizer.scalars`) and AdamW's moments and step, so
/// pretraining resumes exactly where it stopped; a PPO-trained policy adds its value head under TRL's names
/// (`v_head.summary.weight`, `v_head.summary.bias`).
enum GPTType: CheckpointLabType {
    static let id = LabTypeID.gpt
    static let summary = "a GPT-2 language model over characters; pretrain trains it, sample and perplexity read it"
    static let checkpointKind = CheckpointKind.gpt

    static var members: [LabMember<GPTValue>] {
        [
            LabMember("vocab", "int", "vocabulary size: one token per character") { .int($0.model.config.vocab) },
            LabMember("vocabulary", "string", "the characters it knows, in token-id order") {
                .string($0.tokenizer.decode(Array(0..<$0.tokenizer.count)))
            },
            LabMember("layers", "int", "transformer blocks") { .int($0.model.config.layers) },
            LabMember("heads", "int", "attention heads per block") { .int($0.model.config.heads) },
            LabMember("dim", "int", "width of the residual stream (embedding size)") { .int($0.model.config.dim) },
            LabMember("context", "int", "longest sequence it reads, in tokens (learned position embeddings)") {
                .int($0.model.config.context)
            },
            LabMember("parameters", "int", "number of weights, biases and embeddings (the head is tied to wte)") {
                .int($0.model.parameterCount)
            },
            LabMember("trained_steps", "int", "AdamW steps taken so far (0 before any training)") {
                .int($0.optimizer?.step ?? 0)
            },
        ]
    }

    static func stateDict(of value: GPTValue) -> StateDict {
        var dict = value.model.stateDict(tokenizer: value.tokenizer, optimizer: value.optimizer)
        value.valueHead?.append(to: &dict)
        return dict
    }

    static func restore(_ dict: StateDict) throws -> GPTValue {
        let (model, tokenizer, optimizer) = try GPT.load(dict)
        let head = try ValueHead.load(dict, dim: model.config.dim)
        return GPTValue(model: model, tokenizer: tokenizer, optimizer: optimizer, valueHead: head)
    }
}
