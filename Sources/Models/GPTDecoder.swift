import CKernels
import Engine

/// A GPT running forward without a tape over `batch` sequences at once, keeping every layer's keys and values, so a
/// new position costs one row per sequence through the network plus attention over the positions before it: O(T) per
/// token, where recomputing the whole window costs O(T²).
///
/// ```swift
/// let decoder = GPTDecoder(model, batch: 2)
/// var logits = decoder.advance(tokens: prompts, time: 5)    // [2, vocab]: after positions 0…4 of each sequence
/// logits = decoder.advance(tokens: [next0, next1], time: 1)  // [2, vocab]: after position 5
/// ```
///
/// Positions are absolute (GPT-2's learned `wpe`), so keys and values are only valid for the window they were computed
/// in: once a sequence outgrows the context, the whole window moves and must be run again from `reset()` (as
/// `GPT.sample` does). Every row goes through the same kernels whatever the batch, time or cache length, so a logit
/// has the same bits whether its position was run alone, with the cache, or in a whole window at once.
final class GPTDecoder {
    let config: GPTConfig
    let batch: Int
    /// Positions cached so far, the same for every sequence.
    private(set) var length = 0

    /// The parameters in `GPT.parameterNames` order, then (when `hasHead`) the language-model head wteᵀ [dim, vocab];
    /// the matrices a linear layer reads (the projections and the head) packed by `rlhf_infer_pack`, every one starting
    /// on a cache line.
    private let weights: UnsafeMutablePointer<Float>
    private let offsets: [Int]
    /// Per layer, keys as [batch, heads, headDim, context] (transposed, so a query's scores run along memory) and
    /// values as [batch, heads, context, headDim].
    private let keys: UnsafeMutablePointer<Float>
    private let values: UnsafeMutablePointer<Float>

    /// Whether the language-model head is packed: a decoder that only reads hidden states (`lastHidden`, a reward
    /// model's trunk) skips it.
    let hasHead: Bool

    init(_ model: GPT, batch: Int, languageModelHead: Bool = true) {
        let c = model.config
        precondition(batch >= 1, "GPTDecoder: batch \(batch)")
        precondition(
            model.parameters.map(\.shape) == GPT.parameterShapes(c), "GPTDecoder: parameters do not fit \(c)")
        config = c
        self.batch = batch
        hasHead = languageModelHead
        // The projections are the 2-D parameters after the two embeddings; the head is wte transposed.
        var matrices = model.parameters
        if languageModelHead {
            var head = Tensor(zeros: [c.dim, c.vocab])
            head.data.withUnsafeMutableBufferPointer {
                rlhf_transpose(c.vocab, c.dim, model.parameters[0].data, $0.baseAddress)
            }
            matrices.append(head)
        }
        let packed = matrices.indices.map { $0 >= 2 && matrices[$0].shape.count == 2 }
        var offsets: [Int] = []
        var total = 0
        for (m, isPacked) in zip(matrices, packed) {
            offsets.append(total)
            let count = isPacked ? rlhf_infer_packed_count(m.shape[0], m.shape[1]) : m.count
            total += (count + 15) / 16 * 16
        }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(total, 1) * 4, alignment: 64)
        let weights = raw.initializeMemory(as: Float.self, repeating: 0, count: max(total, 1))
        for (i, m) in matrices.enumerated() {
            m.data.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }
                if packed[i] {
                    rlhf_infer_pack(m.shape[0], m.shape[1], base, weights + offsets[i])
                } else {
                    (weights + offsets[i]).update(from: base, count: m.count)
                }
            }
        }
        self.weights = weights
        self.offsets = offsets
        let cacheCount = c.layers * batch * c.context * c.dim
        keys = .allocate(capacity: cacheCount)
        keys.initialize(repeating: 0, count: cacheCount)
        values = .allocate(capacity: cacheCount)
        values.initialize(repeating: 0, count: cacheCount)
    }

    deinit {
        weights.deallocate()
        keys.deallocate()
        values.deallocate()
    }

    /// Forgets every cached position.
    func reset() { length = 0 }

    /// Parameter `index` (in `GPT.parameterNames` order; one past the last is the head).
    private func parameter(_ index: Int) -> UnsafeMutablePointer<Float> { weights + offsets[index] }

    /// Runs positions `length ..< length + time` of every sequence (`tokens` holds `time` tokens of sequence 0, then
    /// of sequence 1, …), caching their keys and values. Returns the logits after every new position, [batch·time,
    /// vocab] with row b·time + t (`allPositions`), or after the last one only, [batch, vocab].
    func advance(tokens: [Int], time: Int, allPositions: Bool = false) -> [Float] {
        precondition(hasHead, "GPTDecoder: built without the language-model head")
        return run(tokens: tokens, time: time, allPositions: allPositions, logits: true)
    }

    /// Runs positions `length ..< length + time` of every sequence as `advance` does and returns the final hidden
    /// state (after `ln_f`, before any head) of each sequence's last new position, [batch, dim]: what a scalar head
    /// on the last token reads. The bits are those of `GPT.hidden`'s row for that position.
    func lastHidden(tokens: [Int], time: Int) -> [Float] {
        run(tokens: tokens, time: time, allPositions: false, logits: false)
    }

    /// `advance`'s forward pass; with `logits` false it stops after `ln_f` and returns the hidden states instead.
    private func run(tokens: [Int], time: Int, allPositions: Bool, logits wantLogits: Bool) -> [Float] {
        let c = config
        let (d, hd, rows) = (c.dim, c.headDim, batch * time)
        precondition(time >= 1 && length + time <= c.context, "GPTDecoder: \(length) + \(time) > \(c.context)")
        precondition(tokens.count == rows, "GPTDecoder: \(tokens.count) tokens for \(batch) × \(time)")
        let outRows = allPositions ? rows : batch
        // Scratch: x, h, y [rows, d]; qkv [rows, 3d]; f [rows, 4d]; logits [outRows, vocab].
        let logitCount = wantLogits ? outRows * c.vocab : 0
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: rows * 10 * d + logitCount)
        defer { scratch.deallocate() }
        let (x, h, y) = (scratch, scratch + rows * d, scratch + 2 * rows * d)
        let (qkv, f, logits) = (scratch + 3 * rows * d, scratch + 6 * rows * d, scratch + 10 * rows * d)

        // x = wte[token] + wpe[position]
        let (wte, wpe) = (parameter(0), parameter(1))
        for r in 0..<rows {
            let token = tokens[r]
            precondition(token >= 0 && token < c.vocab, "GPTDecoder: token \(token) outside vocabulary \(c.vocab)")
            let (e, p) = (wte + token * d, wpe + (length + r % time) * d)
            for j in 0..<d { x[r * d + j] = e[j] + p[j] }
        }
        let scale = 1 / Float(hd).squareRoot()  // as the training forward computes it
        for layer in 0..<c.layers {
            let w = 2 + layer * GPT.blockParameterSuffixes.count
            let layerCache = layer * batch * c.context * d
            rlhf_infer_layer_norm(rows, d, x, parameter(w), parameter(w + 1), 1e-5, h)
            rlhf_infer_linear(rows, 3 * d, d, h, parameter(w + 2), parameter(w + 3), qkv, 0)  // [rows, 3d]: q, k, v
            rlhf_infer_attention(
                batch, time, length, c.heads, hd, c.context, qkv, keys + layerCache, values + layerCache, scale, y)
            rlhf_infer_linear(rows, d, d, y, parameter(w + 4), parameter(w + 5), x, 1)
            rlhf_infer_layer_norm(rows, d, x, parameter(w + 6), parameter(w + 7), 1e-5, h)
            rlhf_infer_linear(rows, 4 * d, d, h, parameter(w + 8), parameter(w + 9), f, 0)
            rlhf_infer_gelu(rows * 4 * d, f)
            rlhf_infer_linear(rows, d, 4 * d, f, parameter(w + 10), parameter(w + 11), x, 1)
        }
        length += time

        // Only the rows whose logits are wanted go through ln_f and the head.
        if !allPositions {
            for b in 0..<batch where time > 1 {
                (x + b * d).update(from: x + (b * time + time - 1) * d, count: d)
            }
        }
        let lnf = 2 + c.layers * GPT.blockParameterSuffixes.count
        rlhf_infer_layer_norm(outRows, d, x, parameter(lnf), parameter(lnf + 1), 1e-5, h)
        guard wantLogits else { return Array(UnsafeBufferPointer(start: h, count: outRows * d)) }
        rlhf_infer_linear(outRows, c.vocab, d, h, parameter(offsets.count - 1), nil, logits, 0)
        return Array(UnsafeBufferPointer(start: logits, count: outRows * c.vocab))
    }
}
