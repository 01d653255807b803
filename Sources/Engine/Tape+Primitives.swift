import CKernels

/// The primitive ops, each one function: the forward computation, then the gradient rule it records.
///
/// A rule runs once per `backward`, given the gradient `g` of the op's output (shaped as the output); it captures the
/// operands' values and the output it needs, so they are read exactly as the forward saw them.
extension Tape {
    // MARK: Products

    /// a[m,k] · b[k,n] → [m,n]
    public func matmul(_ a: Var, _ b: Var) -> Var {
        let (va, vb) = (values[a.id], values[b.id])
        return record(.matmul, va.matmul(vb), from: a, b) { g, grads in
            // dA = G · Bᵀ ; dB = Aᵀ · G
            let (m, k, n) = (va.rows, va.columns, vb.columns)
            grads.add(to: a, shape: va.shape) { da in
                Tape.withBuffers(g, vb) { pg, pb in Kernels.matmulBT(pg, pb, da, m: m, k: n, n: k, accumulate: true) }
            }
            grads.add(to: b, shape: vb.shape) { db in
                Tape.withBuffers(va, g) { pa, pg in Kernels.matmulAT(pa, pg, db, m: m, k: k, n: n, accumulate: true) }
            }
        }
    }

    /// x[m,in] · w[out,in]ᵀ + b[1,out] → [m,out], and with `relu` the ReLU of it in the same op (one pass over the
    /// output, one gradient mask).
    public func linear(_ x: Var, weight w: Var, bias b: Var, relu: Bool = false) -> Var {
        let (vx, vw, vb) = (values[x.id], values[w.id], values[b.id])
        let wt = transposedWeights[w.id] ?? Tape.transposed(vw)
        transposedWeights[w.id] = wt
        let y = vx.linear(transposedWeight: wt, bias: vb, relu: relu)
        return record(.linear, y, from: x, w, b) { g, grads in
            // dx = G · w ; dw = Gᵀ · x ; db = Σ_rows G  (G masked to y > 0 after a ReLU)
            let (m, k, n) = (vx.rows, vx.columns, vw.rows)
            let g = relu ? Tape.reluMask(g, output: y) : g
            grads.add(to: x, shape: vx.shape) { dx in
                Tape.withBuffers(g, vw) { pg, pw in Kernels.matmul(pg, pw, dx, m: m, k: n, n: k, accumulate: true) }
            }
            grads.add(to: w, shape: vw.shape) { dw in
                Tape.withBuffers(g, vx) { pg, px in Kernels.matmulAT(pg, px, dw, m: m, k: n, n: k, accumulate: true) }
            }
            grads.add(to: b, shape: vb.shape) { db in Tape.sumRows(g, into: db) }
        }
    }

    // MARK: Elementwise, two operands

    /// a + b, same shape, or b a row broadcast over a's rows.
    public func add(_ a: Var, _ b: Var) -> Var {
        let (va, vb) = (values[a.id], values[b.id])
        return record(.add, Tape.elementwise(va, vb, +), from: a, b) { g, grads in
            grads.add(g, to: a)
            grads.addBroadcast(g, to: b, shapedAs: vb) { gv, _, _ in gv }
        }
    }

    /// a − b, same shape, or b a row broadcast over a's rows.
    public func sub(_ a: Var, _ b: Var) -> Var {
        let (va, vb) = (values[a.id], values[b.id])
        return record(.sub, Tape.elementwise(va, vb, -), from: a, b) { g, grads in
            grads.add(g, to: a)
            grads.addBroadcast(g, to: b, shapedAs: vb) { gv, _, _ in -gv }
        }
    }

    /// a ⊙ b, same shape, or b a row broadcast over a's rows.
    public func mul(_ a: Var, _ b: Var) -> Var {
        let (va, vb) = (values[a.id], values[b.id])
        return record(.mul, Tape.elementwise(va, vb, *), from: a, b) { g, grads in
            let bRow = vb.count != va.count
            let ga = (0..<va.count).map { i in g.data[i] * vb.data[bRow ? i % vb.count : i] }
            grads.add(Tensor(shape: va.shape, data: ga), to: a)
            grads.addBroadcast(g, to: b, shapedAs: vb) { gv, i, _ in gv * va.data[i] }
        }
    }

    /// Elementwise min of two same-shape tensors.
    public func minimum(_ a: Var, _ b: Var) -> Var {
        let (va, vb) = (values[a.id].data, values[b.id].data)
        let shape = values[a.id].shape
        precondition(shape == values[b.id].shape, "minimum: shapes \(shape) and \(values[b.id].shape)")
        let y = Tensor(shape: shape, data: zip(va, vb).map { Swift.min($0, $1) })
        return record(.minimum, y, from: a, b) { g, grads in
            // to the smaller operand (to a on ties)
            grads.add(Tensor(shape: g.shape, data: (0..<va.count).map { va[$0] <= vb[$0] ? g.data[$0] : 0 }), to: a)
            grads.add(Tensor(shape: g.shape, data: (0..<va.count).map { va[$0] <= vb[$0] ? 0 : g.data[$0] }), to: b)
        }
    }

    // MARK: Elementwise, one operand

    /// c · a
    public func scale(_ a: Var, _ c: Float) -> Var {
        record(.scale, Tape.map(values[a.id]) { $0 * c }, from: a) { g, grads in
            grads.add(Tape.map(g) { $0 * c }, to: a)
        }
    }

    /// −a
    public func neg(_ a: Var) -> Var {
        record(.neg, Tape.map(values[a.id]) { -$0 }, from: a) { g, grads in
            grads.add(Tape.map(g) { -$0 }, to: a)
        }
    }

    /// max(a, 0)
    public func relu(_ a: Var) -> Var {
        let x = values[a.id]
        return record(.relu, Tape.map(x) { max($0, 0) }, from: a) { g, grads in
            grads.add(Tape.pairwise(g, x) { gv, x in x > 0 ? gv : 0 }, to: a)
        }
    }

    /// log σ(a)
    public func logSigmoid(_ a: Var) -> Var {
        let x = values[a.id]
        return record(.logSigmoid, Tape.map(x, Engine.logSigmoid), from: a) { g, grads in
            // d/dx log σ(x) = σ(−x)
            grads.add(Tape.pairwise(g, x) { gv, x in gv * sigmoid(-x) }, to: a)
        }
    }

    /// log(1 + eᵃ)
    public func softplus(_ a: Var) -> Var {
        let x = values[a.id]
        return record(.softplus, Tape.map(x, Engine.softplus), from: a) { g, grads in
            // d/dx log(1 + eˣ) = σ(x)
            grads.add(Tape.pairwise(g, x) { gv, x in gv * sigmoid(x) }, to: a)
        }
    }

    /// eᵃ
    public func exp(_ a: Var) -> Var {
        let y = Tape.map(values[a.id], _expf)
        return record(.exp, y, from: a) { g, grads in
            // d/dx eˣ = eˣ (the output)
            grads.add(Tape.pairwise(g, y) { gv, y in gv * y }, to: a)
        }
    }

    /// Natural log of positive inputs.
    public func log(_ a: Var) -> Var {
        let x = values[a.id]
        return record(.log, Tape.map(x, _logf), from: a) { g, grads in
            grads.add(Tape.pairwise(g, x) { gv, x in gv / x }, to: a)
        }
    }

    /// a clamped to [lo, hi], elementwise.
    public func clamp(_ a: Var, _ lo: Float, _ hi: Float) -> Var {
        let x = values[a.id]
        return record(.clamp, Tape.map(x) { Swift.min(Swift.max($0, lo), hi) }, from: a) { g, grads in
            // 1 inside [lo, hi], 0 where the clamp is active
            grads.add(Tape.pairwise(g, x) { gv, x in x >= lo && x <= hi ? gv : 0 }, to: a)
        }
    }

    // MARK: Rows

    /// Row-wise log-softmax of a matrix [n, k] → [n, k], computed with the row maximum subtracted.
    public func logSoftmax(_ a: Var) -> Var {
        let t = values[a.id]
        let k = t.columns
        var out = t.data
        for i in 0..<t.rows {
            let row = t.data[(i * k)..<(i * k + k)]
            let m = row.max() ?? 0
            var s: Float = 0
            for v in row { s += _expf(v - m) }
            let lse = m + _logf(s)
            for j in 0..<k { out[i * k + j] = t.data[i * k + j] - lse }
        }
        let y = Tensor(shape: t.shape, data: out)
        return record(.logSoftmax, y, from: a) { g, grads in
            // dx_ij = g_ij − softmax_ij · Σ_j g_ij
            var dx = g.data
            for i in 0..<y.rows {
                var gs: Float = 0
                for j in 0..<k { gs += g.data[i * k + j] }
                for j in 0..<k { dx[i * k + j] -= _expf(y.data[i * k + j]) * gs }
            }
            grads.add(Tensor(shape: y.shape, data: dx), to: a)
        }
    }

    /// Entry `columns[i]` of each row i of a matrix [n, k] → [n, 1].
    public func pick(_ a: Var, columns: [Int]) -> Var {
        let t = values[a.id]
        let k = t.columns
        precondition(columns.count == t.rows && columns.allSatisfy { (0..<k).contains($0) }, "pick: bad columns")
        let y = Tensor(shape: [t.rows, 1], data: columns.enumerated().map { t.data[$0 * k + $1] })
        return record(.pick, y, from: a) { g, grads in
            // the gradient flows only to the picked entry of each row
            grads.add(to: a, shape: t.shape) { da in
                for (i, j) in columns.enumerated() { da[i * k + j] += g.data[i] }
            }
        }
    }

    /// Sum of each row of a matrix [n, k] → [n, 1].
    public func sumRows(_ a: Var) -> Var {
        let t = values[a.id]
        let k = t.columns
        let sums = (0..<t.rows).map { i in
            var s: Float = 0
            for j in 0..<k { s += t.data[i * k + j] }
            return s
        }
        return record(.sumRows, Tensor(shape: [t.rows, 1], data: sums), from: a) { g, grads in
            grads.add(Tensor(shape: t.shape, data: (0..<t.count).map { g.data[$0 / k] }), to: a)
        }
    }

    /// Rows `range` of a matrix [n, k] → [range.count, k] (a batch that stacks two halves is split back this way).
    public func rows(_ a: Var, _ range: Range<Int>) -> Var {
        let t = values[a.id]
        precondition(range.lowerBound >= 0 && range.upperBound <= t.rows, "rows: \(range) of \(t.shape)")
        let k = t.columns
        let y = Tensor(shape: [range.count, k], data: Array(t.data[(range.lowerBound * k)..<(range.upperBound * k)]))
        return record(.rows, y, from: a) { g, grads in
            // each picked row's gradient goes back to its place; the other rows get none from here
            grads.add(to: a, shape: t.shape) { da in
                for i in 0..<(range.count * k) { da[range.lowerBound * k + i] += g.data[i] }
            }
        }
    }

    /// Each row of `a` [n, p] followed by the same row of `b` [n, q] → [n, p + q] (a contextual reward model reads
    /// its prompt and response side by side this way).
    public func concatColumns(_ a: Var, _ b: Var) -> Var {
        let (ta, tb) = (values[a.id], values[b.id])
        precondition(ta.rows == tb.rows, "concatColumns: \(ta.shape) and \(tb.shape) differ in rows")
        let (p, q, n) = (ta.columns, tb.columns, ta.rows)
        var out = [Float]()
        out.reserveCapacity(n * (p + q))
        for i in 0..<n {
            out.append(contentsOf: ta.data[(i * p)..<(i * p + p)])
            out.append(contentsOf: tb.data[(i * q)..<(i * q + q)])
        }
        return record(.concatColumns, Tensor(shape: [n, p + q], data: out), from: a, b) { g, grads in
            // each half of an output row's gradient goes back to the row it came from
            grads.add(to: a, shape: ta.shape) { da in
                for i in 0..<n { for j in 0..<p { da[i * p + j] += g.data[i * (p + q) + j] } }
            }
            grads.add(to: b, shape: tb.shape) { db in
                for i in 0..<n { for j in 0..<q { db[i * q + j] += g.data[i * (p + q) + p + j] } }
            }
        }
    }

    // MARK: Reductions

    /// Σ a → [1]
    public func sum(_ a: Var) -> Var {
        let t = values[a.id]
        var s: Float = 0
        for v in t.data { s += v }
        return record(.sum, Tensor(scalar: s), from: a) { g, grads in
            grads.add(Tensor(shape: t.shape, data: [Float](repeating: g.data[0], count: t.count)), to: a)
        }
    }

    /// The mean of a → [1]
    public func mean(_ a: Var) -> Var {
        let t = values[a.id]
        var s: Float = 0
        for v in t.data { s += v }
        return record(.mean, Tensor(scalar: s / Float(max(t.count, 1))), from: a) { g, grads in
            let n = Float(max(t.count, 1))
            grads.add(Tensor(shape: t.shape, data: [Float](repeating: g.data[0] / n, count: t.count)), to: a)
        }
    }

    // MARK: Kernels the rules share

    /// f of each element, written straight into a new tensor.
    @inline(__always)
    static func map(_ t: Tensor, _ f: (Float) -> Float) -> Tensor {
        let out = [Float](unsafeUninitializedCapacity: t.count) { buffer, initialized in
            t.data.withUnsafeBufferPointer { src in
                for i in 0..<src.count { buffer[i] = f(src[i]) }
            }
            initialized = t.count
        }
        return Tensor(shape: t.shape, data: out)
    }

    /// f of each pair of elements of two tensors of the same size, shaped as `a`.
    @inline(__always)
    static func pairwise(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        precondition(a.count == b.count, "pairwise: \(a.shape) and \(b.shape)")
        let out = [Float](unsafeUninitializedCapacity: a.count) { buffer, initialized in
            a.data.withUnsafeBufferPointer { pa in
                b.data.withUnsafeBufferPointer { pb in
                    for i in 0..<pa.count { buffer[i] = f(pa[i], pb[i]) }
                }
            }
            initialized = a.count
        }
        return Tensor(shape: a.shape, data: out)
    }

    /// a ∘ b where b has a's shape or is one row broadcast over a's rows.
    static func elementwise(_ ta: Tensor, _ tb: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        if ta.count == tb.count {
            precondition(ta.shape == tb.shape || tb.rows == 1, "elementwise: shapes \(ta.shape) and \(tb.shape)")
            return Tensor(shape: ta.shape, data: zip(ta.data, tb.data).map(f))
        }
        precondition(
            tb.count == ta.columns && tb.rows == 1, "elementwise: cannot broadcast \(tb.shape) over \(ta.shape)")
        let n = tb.count
        return Tensor(shape: ta.shape, data: (0..<ta.count).map { f(ta.data[$0], tb.data[$0 % n]) })
    }

    /// g where the ReLU's output is positive, 0 elsewhere.
    static func reluMask(_ g: Tensor, output y: Tensor) -> Tensor {
        precondition(g.count == y.count, "reluMask: \(g.shape) and \(y.shape)")
        let out = [Float](unsafeUninitializedCapacity: g.count) { buffer, initialized in
            g.data.withUnsafeBufferPointer { pg in
                y.data.withUnsafeBufferPointer { py in
                    if let o = buffer.baseAddress, let g = pg.baseAddress, let y = py.baseAddress {
                        rlhf_relu_mask(pg.count, g, y, o)
                    }
                }
            }
            initialized = g.count
        }
        return Tensor(shape: g.shape, data: out)
    }

    /// wᵀ of a matrix w, row-major.
    static func transposed(_ w: Tensor) -> [Float] {
        w.data.withUnsafeBufferPointer { Kernels.transpose($0, rows: w.rows, columns: w.columns) }
    }

    /// db[j] += Σ_i g[i, j], the rows added in order.
    static func sumRows(_ g: Tensor, into db: UnsafeMutableBufferPointer<Float>) {
        g.data.withUnsafeBufferPointer { pg in
            if let src = pg.baseAddress, let dst = db.baseAddress { rlhf_add_rows(g.rows, g.columns, src, dst) }
        }
    }

    static func withBuffers(
        _ a: Tensor, _ b: Tensor,
        _ body: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Void
    ) {
        a.data.withUnsafeBufferPointer { pa in b.data.withUnsafeBufferPointer { pb in body(pa, pb) } }
    }
}

extension Gradients.Accumulator {
    /// Adds `f(g[i], i, column)` into b's gradient, summing over rows when b (shaped as `tb`) was broadcast.
    @inline(__always)
    mutating func addBroadcast(_ g: Tensor, to b: Var, shapedAs tb: Tensor, _ f: (Float, Int, Int) -> Float) {
        let n = tb.count
        add(to: b, shape: tb.shape) { db in
            for i in 0..<g.count { db[i % n] += f(g.data[i], i, i % n) }
        }
    }
}
