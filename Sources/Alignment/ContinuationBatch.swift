import Engine
import Models

/// A batch of prompt + continuation sequences of one shape, and where a GPT's outputs score each continuation token:
/// token P + t of sequence b is predicted by the hidden state at row b·T + P − 1 + t (T = P + C), as TRL's
/// `batched_forward_pass` reads `logits[:, start:end]` with start = len(query) − 1.
struct ContinuationBatch {
    /// Sequence 0's T tokens, then sequence 1's, …
    let tokens: [Int]
    let batch: Int
    let promptLength: Int
    let continuation: Int

    init(prompts: [[Int]], continuations: [[Int]]) {
        precondition(prompts.count == continuations.count && !prompts.isEmpty, "ContinuationBatch: counts")
        tokens = zip(prompts, continuations).flatMap { $0 + $1 }
        batch = prompts.count
        promptLength = prompts[0].count
        continuation = continuations[0].count
        precondition(tokens.count == batch * (promptLength + continuation), "ContinuationBatch: ragged sequences")
    }

    /// The sequences at `indices`, in that order.
    init(_ other: ContinuationBatch, rows indices: [Int]) {
        let t = other.time
        tokens = indices.flatMap { other.tokens[($0 * t)..<(($0 + 1) * t)] }
        batch = indices.count
        promptLength = other.promptLength
        continuation = other.continuation
    }

    var time: Int { promptLength + continuation }

    /// Hidden-state rows that predict the continuation tokens, [batch·continuation] in sequence-major order.
    var predictingRows: [Int] {
        (0..<batch).flatMap { b in (0..<continuation).map { b * time + promptLength - 1 + $0 } }
    }

    /// The continuation tokens, in `predictingRows` order.
    var targets: [Int] { predictingRows.map { tokens[$0 + 1] } }

    /// The continuation of sequence `b`.
    func continuation(_ b: Int) -> [Int] {
        Array(tokens[(b * time + promptLength)..<((b + 1) * time)])
    }

    /// The whole sequences.
    var sequences: [[Int]] { (0..<batch).map { Array(tokens[($0 * time)..<(($0 + 1) * time)]) } }
}

extension GPT {
    /// log π(token) of every continuation token of `batch`, [batch·continuation, 1] on `tape` (logits divided by
    /// `temperature` first when it is not 1, the policy that sampled them), and with a value head V of the prefix before
    /// each of them, [batch·continuation, 1].
    func continuationScores(
        on tape: Tape, parameters p: [Var], head: (weight: Var, bias: Var)?, batch: ContinuationBatch,
        temperature: Float = 1
    ) -> (logp: Var, values: Var?) {
        let all = hidden(on: tape, parameters: p, tokens: batch.tokens, batch: batch.batch, time: batch.time)
        let h = tape.embedding(all, ids: batch.predictingRows)  // [B·C, D]
        var logits = tape.matmulTransposed(h, p[0])  // [B·C, vocab]
        if temperature != 1 { logits = tape.scale(logits, 1 / temperature) }
        let logp = tape.pick(tape.logSoftmax(logits), columns: batch.targets)
        return (logp, head.map { ValueHead.values(on: tape, weight: $0.weight, bias: $0.bias, hidden: h) })
    }

    /// `continuationScores` without gradients: the log-probabilities and values the rollout records.
    func continuationScores(batch: ContinuationBatch, head: ValueHead?, temperature: Float = 1)
        -> (logp: [Float], values: [Float])
    {
        let tape = Tape()
        let p = parameters.map { tape.constant($0) }
        let h = head.map { (weight: tape.constant($0.columnWeight), bias: tape.constant($0.bias)) }
        let (logp, values) = continuationScores(
            on: tape, parameters: p, head: h, batch: batch, temperature: temperature)
        return (tape.value(logp).data, values.map { tape.value($0).data } ?? [])
    }
}

extension Tape {
    /// Per-sequence sums of per-token values x [batch·length, 1] → [batch, 1], as a product with a constant 0/1
    /// matrix (the op set has no reshape), so gradients reach every token.
    func sequenceSums(_ x: Var, batch: Int, length: Int) -> Var {
        var ones = [Float](repeating: 0, count: batch * batch * length)
        for b in 0..<batch { for t in 0..<length { ones[b * batch * length + b * length + t] = 1 } }
        return matmul(constant(Tensor(shape: [batch, batch * length], data: ones)), x)
    }
}

/// Sums of consecutive runs of `length` values: per-sequence totals of per-token values.
func sequenceSums(_ x: [Double], length: Int) -> [Double] {
    stride(from: 0, to: x.count, by: length).map { x[$0..<min($0 + length, x.count)].reduce(0, +) }
}
