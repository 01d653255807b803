import Engine

extension GPT {
    /// The logits after every position of `batch` sequences of `time` tokens, computed without a tape (evaluation,
    /// perplexity): [batch·time, vocab], row b·time + t scoring the token that follows position t of sequence b.
    ///
    /// ```swift
    /// let l = model.logits(tokens: [0, 3, 6, 5, 5, 4], batch: 2, time: 3)  // [6, vocab]
    /// ```
    ///
    /// `tokens` holds sequence 0's tokens, then sequence 1's, …; each must be in `0..<vocab`, and `time` at most the
    /// context (callers check user data first: tokenize, then window). The formulas are the tape forward's (layer norm
    /// with eps 1e-5 inside the square root, GELU's tanh form, attention scaled by 1/√headDim with a causal softmax), and
    /// a position's logits have the same bits as `sample`'s cached decoding computes for it.
    public func logits(tokens: [Int], batch: Int, time: Int) -> Tensor {
        precondition(batch >= 1 && time >= 1 && time <= config.context, "GPT.logits: \(batch) × \(time) tokens")
        let decoder = GPTDecoder(self, batch: batch)
        let data = decoder.advance(tokens: tokens, time: time, allPositions: true)
        return Tensor(shape: [batch * time, config.vocab], data: data)
    }
}
