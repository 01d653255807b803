import Engine

extension GPT {
    /// `n` continuations of `prompt`, `tokens` new tokens each, drawn from `rng` with a KV cache: the prompt is run
    /// once, then each new token runs one position per sequence through the network.
    ///
    /// ```swift
    /// var rng = RNG(seed: 7)
    /// let ids = try tokenizer.encode("ROMEO:")
    /// let samples = try model.sample(prompt: ids, tokens: 100, temperature: 0.8, topK: 10, n: 4, rng: &rng)
    /// let texts = samples.map { tokenizer.decode(ids + $0) }
    /// ```
    ///
    /// Returns the new tokens of each sequence (not the prompt). Like nanoGPT's `generate`, the model sees at most the
    /// last `context` tokens: a longer prompt is cropped to them, and once a sequence outgrows the context the window
    /// slides. Positions are learned and absolute, so a slid window is a new input at every position: the cache is
    /// rebuilt from the window's tokens at every such step (O(context²) per token, exactly nanoGPT's result).
    /// Temperature 0 is greedy; `topK` keeps exactly k tokens (ties to the lower id). The draws are one
    /// `rng.uniform()` per new token, sequence after sequence within a step, so a seed gives the same samples.
    public func sample(
        prompt: [Int], tokens: Int, temperature: Float = 1, topK: Int? = nil, n: Int = 1, rng: inout RNG
    ) throws(SamplingError) -> [[Int]] {
        guard !prompt.isEmpty else { throw .emptyPrompt }
        if let bad = prompt.first(where: { $0 < 0 || $0 >= config.vocab }) {
            throw .tokenOutsideVocabulary(bad, vocab: config.vocab)
        }
        guard tokens >= 0 else { throw .negativeTokenCount(tokens) }
        guard n >= 1 else { throw .noSequences(n) }
        guard temperature >= 0 else { throw .temperature(temperature) }  // NaN fails too
        if let k = topK, k < 1 { throw .topK(k) }
        var generated = [[Int]](repeating: [], count: n)
        guard tokens > 0 else { return generated }

        let sampler = TokenSampler(temperature: temperature, topK: topK)
        let (vocab, context) = (config.vocab, config.context)
        let decoder = GPTDecoder(self, batch: n)
        // The last `context` tokens of each sequence: the model's window.
        var windows = [[Int]](repeating: Array(prompt.suffix(context)), count: n)
        var logits = decoder.advance(tokens: windows.flatMap { $0 }, time: windows[0].count)  // [n, vocab]
        for step in 0..<tokens {
            for s in 0..<n {
                let token = sampler.draw(logits[(s * vocab)..<((s + 1) * vocab)], rng: &rng)
                generated[s].append(token)
                windows[s].append(token)
                if windows[s].count > context { windows[s].removeFirst() }
            }
            if step + 1 == tokens { break }
            if decoder.length < context {
                logits = decoder.advance(tokens: windows.map { $0[$0.count - 1] }, time: 1)
            } else {
                // The window has slid: every token sits one position earlier than when its keys were cached.
                decoder.reset()
                logits = decoder.advance(tokens: windows.flatMap { $0 }, time: context)
            }
        }
        return generated
    }
}

/// Why `GPT.sample` could not start; each names the value the caller gave.
public enum SamplingError: Error, Equatable, CustomStringConvertible {
    case emptyPrompt
    case tokenOutsideVocabulary(Int, vocab: Int)
    case negativeTokenCount(Int)
    case noSequences(Int)
    case temperature(Float)
    case topK(Int)

    public var description: String {
        switch self {
        case .emptyPrompt: "the prompt is empty: sampling needs at least one token to continue"
        case let .tokenOutsideVocabulary(token, vocab): "prompt token \(token) is outside the vocabulary 0..<\(vocab)"
        case let .negativeTokenCount(count): "tokens must be at least 0, got \(count)"
        case let .noSequences(count): "n must be at least 1, got \(count)"
        case let .temperature(t): "temperature must be a number ≥ 0 (0 is greedy), got \(t)"
        case let .topK(k): "top_k must be at least 1, got \(k)"
        }
    }
}
