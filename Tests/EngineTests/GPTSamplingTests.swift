import Engine
import Testing

@testable import Models

/// `GPT.sample` against nanoGPT's loop without a cache, and `TokenSampler`'s draws against hand-computed cases.
struct GPTSamplingTests {
    static let config = GPTConfig(vocab: 13, layers: 2, heads: 2, dim: 16, context: 8)
    static let model = GPTInferenceTests.randomGPT(config, seed: 21)

    /// nanoGPT's `generate`, without a cache: each new token runs the whole forward over the last `context` tokens.
    static func referenceSample(
        _ model: GPT, prompt: [Int], tokens: Int, sampler: TokenSampler, n: Int, rng: inout RNG
    ) -> [[Int]] {
        var sequences = [[Int]](repeating: prompt, count: n)
        var generated = [[Int]](repeating: [], count: n)
        for _ in 0..<tokens {
            let logits = sequences.map { s in
                let window = Array(s.suffix(model.config.context))
                return model.logits(tokens: window, batch: 1, time: window.count).data.suffix(model.config.vocab)
            }
            for s in 0..<n {
                let token = sampler.draw(ArraySlice(logits[s]), rng: &rng)
                sequences[s].append(token)
                generated[s].append(token)
            }
        }
        return generated
    }

    /// Prompts shorter than, as long as and longer than the context (8); generation that stays inside the window and
    /// generation that slides it for many steps.
    @Test(
        arguments: [
            (prompt: 1, tokens: 5, n: 3, temperature: 1, topK: nil),
            (prompt: 3, tokens: 20, n: 2, temperature: 0.8, topK: 5),
            (prompt: 8, tokens: 6, n: 1, temperature: 1.5, topK: 1),
            (prompt: 13, tokens: 12, n: 4, temperature: 0, topK: nil),
            (prompt: 7, tokens: 2, n: 2, temperature: 1, topK: 13),
        ] as [(prompt: Int, tokens: Int, n: Int, temperature: Float, topK: Int?)])
    func cachedSamplingIsNanoGPTsLoop(prompt: Int, tokens: Int, n: Int, temperature: Float, topK: Int?) throws {
        var rng = RNG(seed: UInt64(prompt * 31 + tokens))
        let promptTokens = (0..<prompt).map { _ in rng.int(below: Self.config.vocab) }
        var (ours, theirs) = (rng, rng)
        let samples = try Self.model.sample(
            prompt: promptTokens, tokens: tokens, temperature: temperature, topK: topK, n: n, rng: &ours)
        let expected = Self.referenceSample(
            Self.model, prompt: promptTokens, tokens: tokens,
            sampler: TokenSampler(temperature: temperature, topK: topK), n: n, rng: &theirs)
        #expect(samples == expected)
        #expect(ours == theirs)  // one uniform per new token, in the same order
        #expect(samples.count == n && samples.allSatisfy { $0.count == tokens })
    }

    @Test func aSeedGivesTheSameSamplesAndDrawsOneUniformPerToken() throws {
        func run(_ seed: UInt64) throws -> ([[Int]], RNG) {
            var rng = RNG(seed: seed)
            let s = try Self.model.sample(prompt: [3, 1], tokens: 30, temperature: 1, topK: nil, n: 4, rng: &rng)
            return (s, rng)
        }
        let (a, rngA) = try run(1)
        let (b, rngB) = try run(1)
        let (c, _) = try run(2)
        #expect(a == b && rngA == rngB)
        #expect(a != c)
        var counted = RNG(seed: 1)
        for _ in 0..<(30 * 4) { _ = counted.uniform() }
        #expect(rngA == counted)
    }

    /// Top-1, temperature 0 and a vanishing temperature are all greedy decoding: the first largest logit every step.
    @Test func topOneAndZeroTemperatureAreGreedy() throws {
        var rng = RNG(seed: 4)
        let prompt = [2, 7, 7]
        var greedy: [Int] = []
        var sequence = prompt
        for _ in 0..<12 {
            let window = Array(sequence.suffix(Self.config.context))
            let row = Array(Self.model.logits(tokens: window, batch: 1, time: window.count).data.suffix(13))
            let best = row.indices.first { row[$0] == row.max() } ?? -1
            greedy.append(best)
            sequence.append(best)
        }
        for (temperature, topK) in [(Float(1), 1), (0, nil), (2, 1), (1e-30, nil)] as [(Float, Int?)] {
            let s = try Self.model.sample(
                prompt: prompt, tokens: 12, temperature: temperature, topK: topK, n: 2, rng: &rng)
            #expect(s == [greedy, greedy], "temperature \(temperature), top-k \(String(describing: topK))")
        }
    }

    @Test(
        arguments: [
            (logits: [1, 3, 3, 2, 3], topK: 2, kept: [1, 2]),
            ([1, 3, 3, 2, 3], 4, [1, 2, 3, 4]),
            ([1, 3, 3, 2, 3], nil, [0, 1, 2, 3, 4]),
            ([1, 3, 3, 2, 3], 99, [0, 1, 2, 3, 4]),
            ([.nan, 1, 2, .nan], 1, [2]),
            ([.nan, 1, 2, .nan], nil, [1, 2]),
            ([-.infinity, 0, 5], 2, [1, 2]),
        ] as [(logits: [Float], topK: Int?, kept: [Int])])
    func topKKeepsExactlyKWithTiesToTheLowerId(logits: [Float], topK: Int?, kept: [Int]) {
        #expect(TokenSampler(temperature: 1, topK: topK).keptTokens(logits[...]) == kept)
    }

    /// Draws against the probabilities worked out by hand, over many generator states so both sides of each
    /// boundary are reached: u is the generator's next uniform.
    @Test(
        arguments: [
            // softmax([0, ln 3]) = (1/4, 3/4)
            (logits: [0, 1.0986123], temperature: 1, topK: nil, expected: "u < 1/4 ? 0 : 1"),
            // temperature 2 halves the logits: softmax([0, ln 9 / 2]) is the same (1/4, 3/4)
            ([0, 2.1972246], 2, nil, "u < 1/4 ? 0 : 1"),
            // +∞ temperature: uniform over the kept tokens
            ([0, 5, 1], .infinity, nil, "⌊3u⌋"),
            ([0, 5, 1, 4], .infinity, 2, "u < 1/2 ? 1 : 3"),
            // a vanishing temperature leaves the largest only; zero is greedy outright
            ([0.5, 0.50001, 0.2], 1e-30, nil, "1"),
            ([0.5, 0.7, 0.7], 0, nil, "1"),
            // −∞ logits are never drawn; a row of them is uniform
            ([-.infinity, 0, -.infinity], 1, nil, "1"),
            ([-.infinity, -.infinity], 1, nil, "u < 1/2 ? 0 : 1"),
        ] as [(logits: [Float], temperature: Float, topK: Int?, expected: String)])
    func drawsFollowTheHandComputedProbabilities(
        logits: [Float], temperature: Float, topK: Int?, expected: String
    ) {
        let sampler = TokenSampler(temperature: temperature, topK: topK)
        for seed in 0..<200 {
            var rng = RNG(seed: UInt64(seed))
            var copy = rng
            let u = copy.uniform()
            let want: Int =
                switch expected {
                case "u < 1/4 ? 0 : 1": u < 0.25 ? 0 : 1
                case "⌊3u⌋": Int(u * 3)
                case "u < 1/2 ? 1 : 3": u < 0.5 ? 1 : 3
                case "u < 1/2 ? 0 : 1": u < 0.5 ? 0 : 1
                default: Int(expected) ?? -1
                }
            // Within 1e-6 of a boundary the Float logits' rounding decides; stay clear of it.
            if [0.25, 0.5, 1 / 3, 2 / 3].contains(where: { abs(u - $0) < 1e-6 }) { continue }
            #expect(sampler.draw(logits[...], rng: &rng) == want, "u = \(u)")
            #expect(rng == copy)
        }
    }

    @Test(
        arguments: [
            (prompt: [], tokens: 1, temperature: 1, topK: nil, n: 1, error: .emptyPrompt),
            ([0, 13], 1, 1, nil, 1, .tokenOutsideVocabulary(13, vocab: 13)),
            ([-1], 1, 1, nil, 1, .tokenOutsideVocabulary(-1, vocab: 13)),
            ([0], -1, 1, nil, 1, .negativeTokenCount(-1)),
            ([0], 1, 1, nil, 0, .noSequences(0)),
            ([0], 1, -0.5, nil, 1, .temperature(-0.5)),
            ([0], 1, 1, 0, 1, .topK(0)),
        ] as [(prompt: [Int], tokens: Int, temperature: Float, topK: Int?, n: Int, error: SamplingError)])
    func badArgumentsAreRefusedByName(
        prompt: [Int], tokens: Int, temperature: Float, topK: Int?, n: Int, error: SamplingError
    ) {
        var rng = RNG(seed: 1)
        #expect(throws: error) {
            try Self.model.sample(prompt: prompt, tokens: tokens, temperature: temperature, topK: topK, n: n, rng: &rng)
        }
        #expect(rng == RNG(seed: 1))
    }

    @Test func errorTextsQuoteTheValue() {
        #expect(
            SamplingError.tokenOutsideVocabulary(13, vocab: 13).description
                == "prompt token 13 is outside the vocabulary 0..<13")
        #expect(
            SamplingError.temperature(-0.5).description == "temperature must be a number ≥ 0 (0 is greedy), got -0.5")
        #expect(SamplingError.topK(0).description == "top_k must be at least 1, got 0")
        var rng = RNG(seed: 1)
        #expect(throws: SamplingError.self) {
            try Self.model.sample(prompt: [0], tokens: 1, temperature: .nan, rng: &rng)
        }
    }

    @Test func noTokensGivesEmptySequencesAndDrawsNothing() throws {
        var rng = RNG(seed: 3)
        #expect(try Self.model.sample(prompt: [1], tokens: 0, n: 3, rng: &rng) == [[], [], []])
        #expect(rng == RNG(seed: 3))
    }
}
