import Engine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How the next token is drawn from one row of logits, as nanoGPT's `generate` does: divide by the temperature, keep
/// the top k, softmax, one multinomial draw.
///
/// Every draw consumes exactly one `rng.uniform()`, whatever the settings, so a change of temperature or top-k never
/// shifts the draws that follow. Temperature 0 is greedy (the first largest logit), the limit of small temperatures.
struct TokenSampler: Sendable, Equatable {
    /// ≥ 0 and not NaN (`GPT.sample` checks); +∞ draws uniformly among the kept tokens.
    var temperature: Float
    /// How many of the largest logits are kept, ≥ 1; nil keeps them all. Exactly k are kept: among equal logits at the
    /// boundary the lower token ids win (nanoGPT keeps every tie, so it may keep more than k).
    var topK: Int?

    /// The token drawn from `logits` (one row, token ids from 0). NaN logits are never drawn; a row of NaN gives 0.
    func draw(_ logits: ArraySlice<Float>, rng: inout RNG) -> Int {
        let u = rng.uniform()
        let kept = keptTokens(logits)
        guard let first = kept.first else { return 0 }
        let value = { (token: Int) in logits[logits.startIndex + token] }
        var best = first
        for token in kept where value(token) > value(best) { best = token }
        if temperature == 0 { return best }
        // exp((l − max) / T) in Double: never overflows, and a tiny temperature leaves only the largest logits.
        let top = Double(value(best))
        let weights = kept.map { token -> Double in
            let l = Double(value(token))
            if l == top { return 1 }
            let w = exp((l - top) / Double(temperature))
            return w.isNaN ? 0 : w
        }
        let target = u * weights.reduce(0, +)
        var cumulative = 0.0
        for (token, w) in zip(kept, weights) where w > 0 {
            cumulative += w
            if target < cumulative { return token }
        }
        // Rounding left the target at the very top: the last token with any weight.
        return kept.indices.last { weights[$0] > 0 }.map { kept[$0] } ?? best
    }

    /// The tokens that may be drawn, in increasing id: the non-NaN ones, cut to the top k.
    func keptTokens(_ logits: ArraySlice<Float>) -> [Int] {
        let candidates = logits.indices.filter { !logits[$0].isNaN }.map { $0 - logits.startIndex }
        guard let k = topK, k < candidates.count else { return candidates }
        let value = { (token: Int) in logits[logits.startIndex + token] }
        let threshold = candidates.map(value).sorted(by: >)[k - 1]
        var tiesLeft = k - candidates.count { value($0) > threshold }
        return candidates.filter { token in
            if value(token) > threshold { return true }
            guard value(token) == threshold, tiesLeft > 0 else { return false }
            tiesLeft -= 1
            return true
        }
    }
}
