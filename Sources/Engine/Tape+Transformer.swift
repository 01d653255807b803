import CKernels

/// The transformer's primitives (GPT-2): each one function, its forward computation then the gradient rule it records,
/// over the kernels of `TransformerKernels.c`, whose sums run in one fixed order at every instruction-set level and
/// thread count.
extension Tape {
    // MARK: Products

    /// x[m,in] · w[in,out] + b[out] → [m,out]: GPT-2's `Conv1D`, whose weight is stored [in, out].
    public func affine(_ x: Var, weight w: Var, bias b: Var) -> Var {
        let (vx, vw, vb) = (values[x.id], values[w.id], values[b.id])
        let (m, k, n) = (vx.rows, vx.columns, vw.columns)
        precondition(vw.rows == k && vb.count == n, "affine: \(vx.shape) · \(vw.shape) + \(vb.shape)")
        let y = Tape.filled(m * n) { c in
            rlhf_dense_product(m, n, k, vx.data, k, 1, vw.data, n, c, n, 0)
            rlhf_add_bias(m, n, c, vb.data, 0)
        }
        return record(.affine, Tensor(shape: [m, n], data: y), from: x, w, b) { g, grads in
            // dx = G · wᵀ ; dw = xᵀ · G ; db = Σ_rows G
            grads.add(to: x, shape: vx.shape) { dx in
                let wt = Tape.transposed(vw)  // [out, in]
                rlhf_dense_product(m, k, n, g.data, n, 1, wt, k, dx.baseAddress, k, 1)
            }
            grads.add(to: w, shape: vw.shape) { dw in
                rlhf_dense_product(k, n, m, vx.data, 1, k, g.data, n, dw.baseAddress, n, 1)
            }
            grads.add(to: b, shape: vb.shape) { db in Tape.sumRows(g, into: db) }
        }
    }

    /// a[m,k] · b[n,k]ᵀ → [m,n] (a language-model head tied to the token embedding b).
    public func matmulTransposed(_ a: Var, _ b: Var) -> Var {
        let (va, vb) = (values[a.id], values[b.id])
        let (m, k, n) = (va.rows, va.columns, vb.rows)
        precondition(vb.columns == k, "matmulTransposed: \(va.shape) · \(vb.shape)ᵀ")
        let bt = Tape.transposed(vb)  // [k, n]
        let y = Tape.filled(m * n) { c in rlhf_dense_product(m, n, k, va.data, k, 1, bt, n, c, n, 0) }
        return record(.matmulTransposed, Tensor(shape: [m, n], data: y), from: a, b) { g, grads in
            // dA = G · B ; dB = Gᵀ · A
            grads.add(to: a, shape: va.shape) { da in
                rlhf_dense_product(m, k, n, g.data, n, 1, vb.data, k, da.baseAddress, k, 1)
            }
            grads.add(to: b, shape: vb.shape) { db in
                rlhf_dense_product(n, k, m, g.data, 1, n, va.data, k, db.baseAddress, k, 1)
            }
        }
    }

    // MARK: Rows

    /// Rows `ids` of a table [rows, dim] → [ids.count, dim] (token or position embeddings); the gradient adds each
    /// output row back into its table row, in the order of `ids`.
    public func embedding(_ table: Var, ids: [Int]) -> Var {
        let t = values[table.id]
        precondition(ids.allSatisfy { $0 >= 0 && $0 < t.rows }, "embedding: an id outside 0..<\(t.rows)")
        let ids32 = ids.map { Int32($0) }
        return record(.embedding, t.gatherRows(ids), from: table) { g, grads in
            grads.add(to: table, shape: t.shape) { dt in
                rlhf_embedding_backward(ids32.count, t.columns, ids32, g.data, dt.baseAddress)
            }
        }
    }

    /// Layer norm over the last dimension of x[rows, n] with weight and bias [n]: (x − mean)/√(var + ε)·w + b, the
    /// variance biased (as torch.nn.LayerNorm).
    public func layerNorm(_ x: Var, weight w: Var, bias b: Var, epsilon: Float = 1e-5) -> Var {
        let (vx, vw, vb) = (values[x.id], values[w.id], values[b.id])
        let n = vx.columns
        let rows = vx.count / max(n, 1)
        precondition(vw.count == n && vb.count == n, "layerNorm: \(vx.shape) with weight \(vw.shape), bias \(vb.shape)")
        var mean = [Float](repeating: 0, count: rows), rstd = [Float](repeating: 0, count: rows)
        let y = Tape.filled(vx.count) { y in
            rlhf_layer_norm_forward(rows, n, vx.data, vw.data, vb.data, epsilon, y, &mean, &rstd)
        }
        return record(.layerNorm, Tensor(shape: vx.shape, data: y), from: x, w, b) { g, grads in
            var dw = [Float](repeating: 0, count: n), db = [Float](repeating: 0, count: n)
            let dx = Tape.filled(vx.count) { dx in
                rlhf_layer_norm_backward(rows, n, vx.data, vw.data, mean, rstd, g.data, dx, &dw, &db)
            }
            grads.add(Tensor(shape: vx.shape, data: dx), to: x)
            grads.add(Tensor(shape: vw.shape, data: dw), to: w)
            grads.add(Tensor(shape: vb.shape, data: db), to: b)
        }
    }

    // MARK: Elementwise

    /// GPT-2's GELU, tanh form (`gelu_new`): ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
    public func gelu(_ a: Var) -> Var {
        let x = values[a.id]
        var s = [Float](repeating: 0, count: x.count)
        let y = Tape.filled(x.count) { y in rlhf_gelu_forward(x.count, x.data, y, &s) }
        return record(.gelu, Tensor(shape: x.shape, data: y), from: a) { g, grads in
            let dx = Tape.filled(x.count) { dx in rlhf_gelu_backward(x.count, x.data, s, g.data, dx) }
            grads.add(Tensor(shape: x.shape, data: dx), to: a)
        }
    }

    // MARK: Attention

    /// Causal multi-head self-attention of qkv[batch·time, 3·dim] (q, k and v side by side, as GPT-2's `c_attn` makes
    /// them) → [batch·time, dim]: per sequence and head, softmax(q·kᵀ/√(dim/heads)) with position i seeing j ≤ i,
    /// times v. One fused op: the probabilities are kept for the gradient.
    public func causalAttention(_ qkv: Var, batch: Int, time: Int, heads: Int) -> Var {
        let t = values[qkv.id]
        let dim = t.columns / 3
        precondition(
            t.rows == batch * time && t.columns == 3 * dim && heads > 0 && dim % heads == 0,
            "causalAttention: \(t.shape) for batch \(batch), time \(time), heads \(heads)")
        var probs = [Float](repeating: 0, count: batch * heads * time * time)
        let y = Tape.filled(batch * time * dim) { y in
            rlhf_attention_forward(batch, time, heads, dim, t.data, &probs, y)
        }
        return record(.causalAttention, Tensor(shape: [batch * time, dim], data: y), from: qkv) { g, grads in
            let d = Tape.filled(t.count) { d in
                rlhf_attention_backward(batch, time, heads, dim, t.data, probs, g.data, d)
            }
            grads.add(Tensor(shape: t.shape, data: d), to: qkv)
        }
    }

    // MARK: Losses

    /// Mean over rows of −log softmax(logits)[target]: logits [n, vocab], one target per row → [1].
    public func crossEntropy(_ logits: Var, targets: [Int]) -> Var {
        let t = values[logits.id]
        let (rows, n) = (t.rows, t.columns)
        precondition(
            targets.count == rows && targets.allSatisfy { $0 >= 0 && $0 < n },
            "crossEntropy: \(targets.count) targets for logits \(t.shape)")
        let targets32 = targets.map { Int32($0) }
        var lse = [Float](repeating: 0, count: rows)
        let loss = Tensor(scalar: Self.meanCrossEntropy(t, targets: targets32, logSumExp: &lse))
        return record(.crossEntropy, loss, from: logits) { g, grads in
            // (softmax − one-hot) · g/rows
            let dx = Tape.filled(t.count) { dx in
                rlhf_cross_entropy_backward(rows, n, t.data, targets32, lse, g.data[0] / Float(max(rows, 1)), dx)
            }
            grads.add(Tensor(shape: t.shape, data: dx), to: logits)
        }
    }

    /// The mean cross-entropy of `logits` [n, vocab] against one target per row, without a tape (a validation
    /// loss): the same kernel and summation as `crossEntropy`'s forward, so the two give the same bits.
    public static func crossEntropy(_ logits: Tensor, targets: [Int]) -> Float {
        precondition(
            targets.count == logits.rows && targets.allSatisfy { $0 >= 0 && $0 < logits.columns },
            "crossEntropy: \(targets.count) targets for logits \(logits.shape)")
        var lse = [Float](repeating: 0, count: logits.rows)
        return meanCrossEntropy(logits, targets: targets.map { Int32($0) }, logSumExp: &lse)
    }

    /// Per row, −log softmax(logits)[target] (each row's log-sum-exp left in `logSumExp` for the gradient), summed in
    /// row order and divided by the row count.
    private static func meanCrossEntropy(_ t: Tensor, targets: [Int32], logSumExp lse: inout [Float]) -> Float {
        var losses = [Float](repeating: 0, count: t.rows)
        rlhf_cross_entropy_forward(t.rows, t.columns, t.data, targets, &lse, &losses)
        var total: Float = 0
        for l in losses { total += l }
        return total / Float(max(t.rows, 1))
    }

    // MARK: Helpers

    /// A new array of `count` values, every one written by `body`.
    @inline(__always)
    static func filled(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let p = buffer.baseAddress { body(p) }
            initialized = count
        }
    }
}
