import Engine
import Models

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension GPT {
    /// exp of the mean cross-entropy of predicting each token of `tokens` after the first from the tokens before it:
    /// the text is cut into consecutive windows of at most `context` predictions, each read from the start of its
    /// window (the first token of a window is the last target of the one before). Summed in Double, in token order.
    ///
    /// Needs at least two tokens, each in `0..<vocab`.
    public func perplexity(of tokens: [Int]) -> Double {
        let vocab = config.vocab
        var total = 0.0
        var start = 0
        while start < tokens.count - 1 {
            let time = min(config.context, tokens.count - 1 - start)
            let logits = logits(tokens: Array(tokens[start..<(start + time)]), batch: 1, time: time)  // [time, vocab]
            for t in 0..<time {
                let row = logits.data[(t * vocab)..<((t + 1) * vocab)]
                let top = Double(row.max() ?? 0)
                let sum = row.reduce(0.0) { $0 + exp(Double($1) - top) }
                total += top + log(sum) - Double(row[row.startIndex + tokens[start + t + 1]])
            }
            start += time
        }
        return exp(total / Double(tokens.count - 1))
    }
}
