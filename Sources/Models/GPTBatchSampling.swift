import Engine

extension GPT {
    /// One continuation of `tokens` new tokens for each of `prompts`, all of the same length, drawn with one KV cache
    /// over the whole batch: what a PPO rollout needs, where every prompt differs but every sequence has one shape.
    ///
    /// ```swift
    /// let continuations = try model.sample(prompts: [a, b, c], tokens: 32, rng: &rng)  // 3 × 32 token ids
    /// ```
    ///
    /// The draws are `sample(prompt:…)`'s: one `rng.uniform()` per new token, sequence after sequence within a step,
    /// so `sample(prompts: Array(repeating: p, count: n), …)` gives the same tokens as `sample(prompt: p, …, n: n)`.
    /// Prompt plus continuation must fit the context (the window never slides); callers check this on user data.
    public func sample(
        prompts: [[Int]], tokens: Int, temperature: Float = 1, topK: Int? = nil, rng: inout RNG
    ) throws(SamplingError) -> [[Int]] {
        guard let length = prompts.first?.count, length > 0 else { throw .emptyPrompt }
        precondition(prompts.allSatisfy { $0.count == length }, "GPT.sample(prompts:): prompts of unequal length")
        precondition(length + tokens <= config.context, "GPT.sample(prompts:): \(length) + \(tokens) > context")
        for prompt in prompts {
            if let bad = prompt.first(where: { $0 < 0 || $0 >= config.vocab }) {
                throw .tokenOutsideVocabulary(bad, vocab: config.vocab)
            }
        }
        guard tokens >= 0 else { throw .negativeTokenCount(tokens) }
        guard temperature >= 0 else { throw .temperature(temperature) }
        if let k = topK, k < 1 { throw .topK(k) }
        let n = prompts.count
        var generated = [[Int]](repeating: [], count: n)
        guard tokens > 0 else { return generated }
        let sampler = TokenSampler(temperature: temperature, topK: topK)
        let vocab = config.vocab
        let decoder = GPTDecoder(self, batch: n)
        var logits = decoder.advance(tokens: prompts.flatMap { $0 }, time: length)  // [n, vocab]
        for step in 0..<tokens {
            for s in 0..<n {
                generated[s].append(sampler.draw(logits[(s * vocab)..<((s + 1) * vocab)], rng: &rng))
            }
            if step + 1 == tokens { break }
            logits = decoder.advance(tokens: generated.map { $0[step] }, time: 1)
        }
        return generated
    }
}
