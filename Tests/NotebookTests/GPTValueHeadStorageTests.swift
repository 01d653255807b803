import Engine
import Foundation
import Models
import Store
import Testing

@testable import Language
@testable import Notebook

private let text = "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n"

/// A PPO-trained policy's value head is stored in its GPT checkpoint under TRL's names and read back bitwise; a GPT
/// without one writes exactly the language model's checkpoint, so every existing notebook keeps its bytes.
@Test func aValueHeadRoundTripsUnderTRLsNamesAndIsAbsentWithoutOne() throws {
    var rng = RNG(seed: 8)
    let tokenizer = CharTokenizer(corpus: text)
    let model = GPT(config: GPTConfig(vocab: tokenizer.count, layers: 1, heads: 2, dim: 4, context: 8), rng: &rng)
    let plain = GPTValue(model: model, tokenizer: tokenizer)
    #expect(GPTType.stateDict(of: plain) == model.stateDict(tokenizer: tokenizer, optimizer: nil))

    let head = ValueHead(dim: 4, rng: &rng)
    let withHead = GPTValue(model: model, tokenizer: tokenizer, valueHead: head)
    let dict = GPTType.stateDict(of: withHead)
    #expect(dict.tensors.suffix(2).map(\.name) == ["v_head.summary.weight", "v_head.summary.bias"])
    #expect(dict.tensor("v_head.summary.weight")?.shape == [1, 4] && dict.tensor("v_head.summary.bias")?.shape == [1])
    let restored = try GPTType.restore(dict)
    #expect(restored.valueHead == head && restored.model == model)
    #expect(try GPTType.restore(GPTType.stateDict(of: plain)).valueHead == nil)

    // A head of the wrong width is refused, naming the tensor.
    var bad = dict
    bad.tensors[bad.tensors.count - 2].tensor = Tensor(zeros: [1, 3])
    #expect(throws: StateDictError.wrongShape(name: "v_head.summary.weight", expected: [1, 4], got: [1, 3])) {
        try GPTType.restore(bad)
    }

    // The Hugging Face export reads the language model alone.
    let (exported, _, _) = try GPT.load(dict)
    #expect(exported == model)
}
