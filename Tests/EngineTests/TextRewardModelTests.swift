import CKernels
import Engine
import Testing

@testable import Models

/// The text reward model: its tape-free scores against the tape path, its head and its saved form.
@Suite(.serialized)
struct TextRewardModelTests {
    /// A reward model whose every parameter is random (head included), so a wrong row or a missed norm shows.
    static func randomModel(_ config: GPTConfig, seed: UInt64) -> TextRewardModel {
        var rng = RNG(seed: seed)
        let parameters = GPT.parameterShapes(config).map { rng.normalTensor($0, scale: 0.5) }
        let trunk = GPT(config: config, parameters: parameters)
        return TextRewardModel(trunk: trunk, head: rng.normalTensor([1, config.dim], scale: 0.5))
    }

    /// The tape's scores: the contract's `GPT.hidden`, the last row of each sequence, times the head.
    static func tapeScores(_ rm: TextRewardModel, tokens: [Int], batch: Int, time: Int) -> [Float] {
        let tape = Tape()
        let p = rm.parameters.map { tape.constant($0) }
        return tape.value(rm.scores(on: tape, parameters: p, tokens: tokens, batch: batch, time: time)).data
    }

    /// The inference path (`GPTDecoder.lastHidden` and the same product) gives the tape's bits, at every kernel level,
    /// for one sequence, several, a full context, and a model big enough that products are shared between threads.
    @Test(arguments: [
        (layers: 1, heads: 1, dim: 8, context: 4, batch: 1, time: 4),
        (layers: 2, heads: 2, dim: 16, context: 12, batch: 5, time: 9),
        (layers: 3, heads: 4, dim: 24, context: 16, batch: 3, time: 1),
        (layers: 4, heads: 4, dim: 128, context: 64, batch: 8, time: 64),
    ])
    func tapeFreeScoresAreTheTapesBits(layers: Int, heads: Int, dim: Int, context: Int, batch: Int, time: Int) {
        let config = GPTConfig(vocab: 13, layers: layers, heads: heads, dim: dim, context: context)
        let rm = Self.randomModel(config, seed: UInt64(dim + time))
        var rng = RNG(seed: 5)
        let tokens = (0..<(batch * time)).map { _ in rng.int(below: 13) }
        for level in KernelTests.levels {
            rlhf_kernels_set_level(level)
            let tape = Self.tapeScores(rm, tokens: tokens, batch: batch, time: time)
            let fast = rm.scores(tokens: tokens, batch: batch, time: time)
            #expect(fast.count == batch)
            #expect(fast.map(\.bitPattern) == tape.map(\.bitPattern), "level \(level.rawValue)")
        }
        rlhf_kernels_set_level(rlhf_kernels_best_level())
    }

    /// A score is the head's dot product with the final hidden state of the sequence's last token, computed here
    /// from the language model's own tape forward (its hidden states are what the tied head multiplies by wteᵀ), in
    /// double precision.
    @Test func aScoreIsTheHeadOnTheLastHiddenState() {
        let config = GPTConfig(vocab: 7, layers: 2, heads: 2, dim: 8, context: 6)
        let rm = Self.randomModel(config, seed: 3)
        let tokens = [1, 4, 6, 0, 2, 5, 3, 3, 1, 0, 6, 2]
        let tape = Tape()
        let hidden = tape.value(
            rm.trunk.hidden(
                on: tape, parameters: rm.trunk.parameters.map { tape.constant($0) }, tokens: tokens, batch: 2, time: 6))
        let scores = rm.scores(tokens: tokens, batch: 2, time: 6)
        for b in 0..<2 {
            let row = hidden.data[((b * 6 + 5) * 8)..<((b * 6 + 6) * 8)]
            let expected = zip(row, rm.head.data).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            #expect(abs(Double(scores[b]) - expected) <= 1e-5 * max(1, abs(expected)))
        }
        // Each sequence alone scores as in the batch: rows never mix.
        #expect(rm.scores(tokens: Array(tokens[6...]), batch: 1, time: 6)[0].bitPattern == scores[1].bitPattern)
    }

    /// With the mean readout a score is the mean over the sequence's positions of head · hidden state, and a pair
    /// that shares a prompt differs only by its continuations' positions: the prompt's hidden states are equal
    /// (causal attention), so their share of the two scores is the same.
    @Test func aMeanScoreAveragesTheHeadOverEveryPosition() {
        let config = GPTConfig(vocab: 7, layers: 2, heads: 2, dim: 8, context: 6)
        var rm = Self.randomModel(config, seed: 3)
        rm.readout = .mean
        let tokens = [1, 4, 6, 0, 2, 5, 1, 4, 6, 3, 3, 1]  // one prompt (1, 4, 6), two continuations
        let tape = Tape()
        let hidden = tape.value(
            rm.trunk.hidden(
                on: tape, parameters: rm.trunk.parameters.map { tape.constant($0) }, tokens: tokens, batch: 2, time: 6))
        func headTimesRow(_ r: Int) -> Double {
            var sum = 0.0
            for j in 0..<8 { sum += Double(hidden.data[r * 8 + j]) * Double(rm.head.data[j]) }
            return sum
        }
        let scores = rm.scores(tokens: tokens, batch: 2, time: 6)
        for b in 0..<2 {
            let expected = (0..<6).map { headTimesRow(b * 6 + $0) }.reduce(0, +) / 6
            #expect(abs(Double(scores[b]) - expected) <= 1e-5 * max(1, abs(expected)))
        }
        for t in 0..<3 { #expect(abs(headTimesRow(t) - headTimesRow(6 + t)) <= 1e-6) }
        #expect(rm.scores(tokens: Array(tokens[6...]), batch: 1, time: 6)[0].bitPattern == scores[1].bitPattern)
        #expect(Self.tapeScores(rm, tokens: tokens, batch: 2, time: 6).map(\.bitPattern) == scores.map(\.bitPattern))
        // More sequences than one pass takes (64): each still scores as it does alone.
        var rng = RNG(seed: 5)
        let many = (0..<(70 * 6)).map { _ in rng.int(below: 7) }
        let together = rm.scores(tokens: many, batch: 70, time: 6)
        let alone = (0..<70).map { rm.scores(tokens: Array(many[($0 * 6)..<($0 * 6 + 6)]), batch: 1, time: 6)[0] }
        #expect(together.map(\.bitPattern) == alone.map(\.bitPattern))
    }

    /// The head is the generator's next `dim` normal draws times 0.02, after the trunk (copied, unchanged).
    @Test func theHeadIsDrawnNormalWithScaleTwoHundredths() {
        var rng = RNG(seed: 11)
        let lm = GPT(config: GPTConfig(vocab: 5, layers: 1, heads: 2, dim: 6, context: 4), rng: &rng)
        var a = RNG(seed: 12), b = RNG(seed: 12)
        let rm = TextRewardModel(trunk: lm, rng: &a)
        #expect(rm.trunk == lm)
        #expect(rm.head.shape == [1, 6])
        #expect(rm.head.data.map(\.bitPattern) == (0..<6).map { _ in (b.normal() * 0.02).bitPattern })
        #expect(a.next() == b.next())
        #expect(rm.parameterCount == lm.parameterCount + 6)
    }

    /// Saved and loaded, a model, its vocabulary and its Adam state come back equal; the names are GPT-2's and
    /// `score.weight`.
    @Test func stateDictRoundTrips() throws {
        let config = GPTConfig(vocab: 4, layers: 1, heads: 1, dim: 4, context: 3)
        let rm = Self.randomModel(config, seed: 9)
        let tokenizer = CharTokenizer(corpus: "abcd")
        var rng = RNG(seed: 1)
        let shapes = TextRewardModel.parameterShapes(config)
        let adam = Adam(step: 7, m: shapes.map { rng.normalTensor($0) }, v: shapes.map { rng.normalTensor($0) })
        var mean = rm
        mean.readout = .mean
        // A last-token checkpoint has no readout entry (it reads and hashes as before readouts existed).
        #expect(rm.stateDict(tokenizer: tokenizer, optimizer: nil).configValue("score.readout_mean") == nil)
        #expect(mean.stateDict(tokenizer: tokenizer, optimizer: nil).configValue("score.readout_mean") == 1)
        #expect(try TextRewardModel.load(mean.stateDict(tokenizer: tokenizer, optimizer: adam)).0 == mean)
        for optimizer in [nil, adam] {
            let dict = rm.stateDict(tokenizer: tokenizer, optimizer: optimizer)
            #expect(dict.kind == "text_reward")
            #expect(dict.tensor("score.weight") == rm.head)
            #expect(dict.tensor("transformer.h.0.attn.c_attn.weight") == rm.trunk.parameters[4])
            let (model, vocabulary, state) = try TextRewardModel.load(dict)
            #expect(model == rm && vocabulary == tokenizer && state == optimizer)
        }
    }

    static let badDicts: [(edit: String, error: StateDictError)] = [
        ("kind", .wrongKind(expected: "text_reward", got: "gpt")),
        ("drop head", .missingTensor("score.weight")),
        ("head shape", .wrongShape(name: "score.weight", expected: [1, 4], got: [4])),
        ("drop moment", .missingTensor("adam.v.score.weight")),
    ]

    /// Loading checks what a checkpoint holds, as `GPT.load` does.
    @Test(arguments: badDicts)
    func loadingRefusesABrokenCheckpoint(edit: String, error: StateDictError) {
        let config = GPTConfig(vocab: 4, layers: 1, heads: 1, dim: 4, context: 3)
        let rm = Self.randomModel(config, seed: 9)
        var dict = rm.stateDict(
            tokenizer: CharTokenizer(corpus: "abcd"), optimizer: Adam(shapes: TextRewardModel.parameterShapes(config)))
        switch edit {
        case "kind": dict.kind = "gpt"
        case "drop head": dict.tensors.removeAll { $0.name == "score.weight" }
        case "head shape":
            let i = dict.tensors.firstIndex { $0.name == "score.weight" } ?? 0
            dict.tensors[i].tensor = Tensor(shape: [4], data: [1, 2, 3, 4])
        default: dict.tensors.removeAll { $0.name == "adam.v.score.weight" }
        }
        #expect(throws: error) { try TextRewardModel.load(dict) }
    }
}
