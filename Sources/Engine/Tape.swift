import CKernels

/// A handle to a value recorded on a `Tape`.
public struct Var: Hashable, Sendable {
    public let id: Int
}

/// Reverse-mode automatic differentiation over a closed set of primitive ops.
///
/// Every primitive's forward computation and gradient rule live in this file, next to each other (the `Op` enum, the
/// recording functions, and `backward`). Models and losses are written in these primitives and have no gradient rules
/// of their own.
///
/// ```swift
/// let tape = Tape()
/// let w = tape.leaf(weights)
/// let loss = tape.mean(tape.relu(tape.matmul(tape.leaf(x), w)))
/// let grads = tape.backward(loss)
/// grads[w]  // ∂loss/∂w
/// ```
public final class Tape {
    /// The closed op set. Operand ids refer to earlier entries, so the tape is already in topological order.
    enum Op {
        case leaf
        case matmul(Int, Int)            // [m,k] · [k,n] → [m,n]
        case linear(Int, Int, Int, relu: Bool)  // x[m,in] · w[out,in]ᵀ + b[1,out] → [m,out], then ReLU if asked
        case add(Int, Int)               // same shape, or b a row broadcast over a's rows
        case sub(Int, Int)
        case mul(Int, Int)
        case scale(Int, Float)
        case neg(Int)
        case relu(Int)
        case logSigmoid(Int)
        case softplus(Int)
        case sum(Int)                    // → [1]
        case mean(Int)                   // → [1]
        case exp(Int)
        case log(Int)                    // natural log of positive inputs
        case logSoftmax(Int)             // per row: x − log Σ_j e^{x_j}
        case pick(Int, [Int])            // [n, k], one column per row → [n, 1]
        case minimum(Int, Int)           // elementwise min of two same-shape tensors
        case clamp(Int, Float, Float)    // elementwise clamp to [lo, hi]
        case sumRows(Int)                // [n, k] → [n, 1]
        case rows(Int, Range<Int>)       // [n, k] → [hi − lo, k], rows lo..<hi

        /// The values this op reads.
        var operands: [Int] {
            switch self {
            case .leaf: []
            case let .matmul(a, b), let .add(a, b), let .sub(a, b), let .mul(a, b), let .minimum(a, b): [a, b]
            case let .linear(x, w, b, _): [x, w, b]
            case let .scale(a, _), let .neg(a), let .relu(a), let .logSigmoid(a), let .softplus(a), let .sum(a),
                 let .mean(a), let .exp(a), let .log(a), let .logSoftmax(a), let .pick(a, _), let .clamp(a, _, _),
                 let .sumRows(a), let .rows(a, _): [a]
            }
        }
    }

    private(set) var ops: [Op] = []
    private(set) var values: [Tensor] = []
    /// Whether a gradient must flow into each value: false for constants and for everything computed only from
    /// constants, so `backward` skips that work (the inputs of a batch, a frozen model's weights).
    private(set) var needsGrad: [Bool] = []
    /// wᵀ of each weight a `linear` has read, by the weight's id: a weight applied to several inputs is transposed once.
    private var transposedWeights: [Int: [Float]] = [:]

    public init() {}

    public var count: Int { ops.count }

    public func value(_ v: Var) -> Tensor { values[v.id] }

    private func record(_ op: Op, _ value: Tensor, leafNeedsGrad: Bool = true) -> Var {
        let operands = op.operands
        needsGrad.append(operands.isEmpty ? leafNeedsGrad : operands.contains { needsGrad[$0] })
        ops.append(op)
        values.append(value)
        return Var(id: ops.count - 1)
    }

    // MARK: Forward

    /// A value gradients are wanted for (a trainable parameter).
    public func leaf(_ t: Tensor) -> Var { record(.leaf, t) }

    /// A value no gradient is wanted for (inputs, targets, frozen weights): `backward` leaves it and everything
    /// computed only from constants alone.
    public func constant(_ t: Tensor) -> Var { record(.leaf, t, leafNeedsGrad: false) }

    public func matmul(_ a: Var, _ b: Var) -> Var {
        record(.matmul(a.id, b.id), values[a.id].matmul(values[b.id]))
    }

    /// x·wᵀ + b, and with `relu` the ReLU of it in the same op (one pass over the output, one gradient mask).
    public func linear(_ x: Var, weight w: Var, bias b: Var, relu: Bool = false) -> Var {
        let weight = values[w.id]
        let wt = transposedWeights[w.id] ?? weight.data.withUnsafeBufferPointer {
            Kernels.transpose($0, rows: weight.rows, columns: weight.columns)
        }
        transposedWeights[w.id] = wt
        return record(.linear(x.id, w.id, b.id, relu: relu), values[x.id].linear(transposedWeight: wt, bias: values[b.id], relu: relu))
    }

    public func add(_ a: Var, _ b: Var) -> Var { record(.add(a.id, b.id), elementwise(a, b, +)) }
    public func sub(_ a: Var, _ b: Var) -> Var { record(.sub(a.id, b.id), elementwise(a, b, -)) }
    public func mul(_ a: Var, _ b: Var) -> Var { record(.mul(a.id, b.id), elementwise(a, b, *)) }

    public func scale(_ a: Var, _ c: Float) -> Var { record(.scale(a.id, c), map(a) { $0 * c }) }
    public func neg(_ a: Var) -> Var { record(.neg(a.id), map(a) { -$0 }) }
    public func relu(_ a: Var) -> Var { record(.relu(a.id), map(a) { max($0, 0) }) }
    public func logSigmoid(_ a: Var) -> Var { record(.logSigmoid(a.id), map(a, Engine.logSigmoid)) }
    public func softplus(_ a: Var) -> Var { record(.softplus(a.id), map(a, Engine.softplus)) }

    public func exp(_ a: Var) -> Var { record(.exp(a.id), map(a, _expf)) }
    public func log(_ a: Var) -> Var { record(.log(a.id), map(a, _logf)) }

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
        return record(.logSoftmax(a.id), Tensor(shape: t.shape, data: out))
    }

    /// Entry `columns[i]` of each row i of a matrix [n, k] → [n, 1].
    public func pick(_ a: Var, columns: [Int]) -> Var {
        let t = values[a.id]
        precondition(columns.count == t.rows && columns.allSatisfy { (0..<t.columns).contains($0) }, "pick: bad columns")
        let k = t.columns
        return record(.pick(a.id, columns), Tensor(shape: [t.rows, 1], data: columns.enumerated().map { t.data[$0 * k + $1] }))
    }

    public func minimum(_ a: Var, _ b: Var) -> Var {
        precondition(values[a.id].shape == values[b.id].shape, "minimum: shapes \(values[a.id].shape) and \(values[b.id].shape)")
        return record(.minimum(a.id, b.id), Tensor(shape: values[a.id].shape, data: zip(values[a.id].data, values[b.id].data).map { Swift.min($0, $1) }))
    }

    public func clamp(_ a: Var, _ lo: Float, _ hi: Float) -> Var {
        record(.clamp(a.id, lo, hi), map(a) { Swift.min(Swift.max($0, lo), hi) })
    }

    /// Sum of each row of a matrix [n, k] → [n, 1].
    public func sumRows(_ a: Var) -> Var {
        let t = values[a.id]
        let k = t.columns
        return record(.sumRows(a.id), Tensor(shape: [t.rows, 1], data: (0..<t.rows).map { i in
            var s: Float = 0
            for j in 0..<k { s += t.data[i * k + j] }
            return s
        }))
    }

    /// Rows `range` of a matrix [n, k] → [range.count, k] (a batch that stacks two halves is split back this way).
    public func rows(_ a: Var, _ range: Range<Int>) -> Var {
        let t = values[a.id]
        precondition(range.lowerBound >= 0 && range.upperBound <= t.rows, "rows: \(range) of \(t.shape)")
        let k = t.columns
        return record(.rows(a.id, range), Tensor(shape: [range.count, k], data: Array(t.data[(range.lowerBound * k)..<(range.upperBound * k)])))
    }

    public func sum(_ a: Var) -> Var {
        var s: Float = 0
        for v in values[a.id].data { s += v }
        return record(.sum(a.id), Tensor(scalar: s))
    }

    public func mean(_ a: Var) -> Var {
        let t = values[a.id]
        var s: Float = 0
        for v in t.data { s += v }
        return record(.mean(a.id), Tensor(scalar: s / Float(max(t.count, 1))))
    }

    // MARK: Backward

    /// Gradients of the scalar `root` with respect to every recorded value (nil where no path leads to the root).
    public func backward(_ root: Var) -> Gradients {
        precondition(values[root.id].count == 1, "backward: root must be a scalar, got \(values[root.id].shape)")
        var grads = [Tensor?](repeating: nil, count: ops.count)
        grads[root.id] = Tensor(shape: values[root.id].shape, data: [1])
        for id in stride(from: root.id, through: 0, by: -1) {
            guard needsGrad[id], let g = grads[id] else { continue }
            switch ops[id] {
            case .leaf:
                break
            case let .matmul(a, b):
                // dA = G · Bᵀ ; dB = Aᵀ · G
                let (m, k, n) = (values[a].rows, values[a].columns, values[b].columns)
                accumulate(&grads, a, shape: values[a].shape) { da in
                    withBuffers(g, values[b]) { pg, pb in Kernels.matmulBT(pg, pb, da, m: m, k: n, n: k, accumulate: true) }
                }
                accumulate(&grads, b, shape: values[b].shape) { db in
                    withBuffers(values[a], g) { pa, pg in Kernels.matmulAT(pa, pg, db, m: m, k: k, n: n, accumulate: true) }
                }
            case let .linear(x, w, b, relu):
                // y = x·wᵀ + b ; dx = G · w ; dw = Gᵀ · x ; db = Σ_rows G  (G masked to y > 0 after a ReLU)
                let (m, k, n) = (values[x].rows, values[x].columns, values[w].rows)
                let g = relu ? Self.reluMask(g, output: values[id]) : g
                accumulate(&grads, x, shape: values[x].shape) { dx in
                    withBuffers(g, values[w]) { pg, pw in Kernels.matmul(pg, pw, dx, m: m, k: n, n: k, accumulate: true) }
                }
                accumulate(&grads, w, shape: values[w].shape) { dw in
                    withBuffers(g, values[x]) { pg, px in Kernels.matmulAT(pg, px, dw, m: m, k: n, n: k, accumulate: true) }
                }
                accumulate(&grads, b, shape: values[b].shape) { db in sumRows(g, into: db) }
            case let .add(a, b):
                accumulate(&grads, a, g)
                accumulateBroadcast(&grads, b, g) { gv, _, _ in gv }
            case let .sub(a, b):
                accumulate(&grads, a, g)
                accumulateBroadcast(&grads, b, g) { gv, _, _ in -gv }
            case let .mul(a, b):
                let (va, vb) = (values[a], values[b])
                let bRow = vb.count != va.count
                let ga = Tensor(shape: va.shape, data: (0..<va.count).map { i in g.data[i] * vb.data[bRow ? i % vb.count : i] })
                accumulate(&grads, a, ga)
                accumulateBroadcast(&grads, b, g) { gv, i, _ in gv * va.data[i] }
            case let .scale(a, c):
                accumulate(&grads, a, Self.map(g) { $0 * c })
            case let .neg(a):
                accumulate(&grads, a, Self.map(g) { -$0 })
            case let .relu(a):
                accumulate(&grads, a, Self.pairwise(g, values[a]) { gv, x in x > 0 ? gv : 0 })
            case let .logSigmoid(a):
                // d/dx log σ(x) = σ(−x)
                accumulate(&grads, a, Self.pairwise(g, values[a]) { gv, x in gv * sigmoid(-x) })
            case let .softplus(a):
                // d/dx log(1 + eˣ) = σ(x)
                accumulate(&grads, a, Self.pairwise(g, values[a]) { gv, x in gv * sigmoid(x) })
            case let .sum(a):
                accumulate(&grads, a, Tensor(shape: values[a].shape, data: [Float](repeating: g.data[0], count: values[a].count)))
            case let .mean(a):
                let n = Float(max(values[a].count, 1))
                accumulate(&grads, a, Tensor(shape: values[a].shape, data: [Float](repeating: g.data[0] / n, count: values[a].count)))
            case let .exp(a):
                // d/dx eˣ = eˣ (the recorded output)
                accumulate(&grads, a, Self.pairwise(g, values[id]) { gv, y in gv * y })
            case let .log(a):
                accumulate(&grads, a, Self.pairwise(g, values[a]) { gv, x in gv / x })
            case let .logSoftmax(a):
                // dx_ij = g_ij − softmax_ij · Σ_j g_ij
                let y = values[id]
                let k = y.columns
                var dx = g.data
                for i in 0..<y.rows {
                    var gs: Float = 0
                    for j in 0..<k { gs += g.data[i * k + j] }
                    for j in 0..<k { dx[i * k + j] -= _expf(y.data[i * k + j]) * gs }
                }
                accumulate(&grads, a, Tensor(shape: y.shape, data: dx))
            case let .pick(a, columns):
                // the gradient flows only to the picked entry of each row
                let k = values[a].columns
                accumulate(&grads, a, shape: values[a].shape) { da in
                    for (i, j) in columns.enumerated() { da[i * k + j] += g.data[i] }
                }
            case let .minimum(a, b):
                // to the smaller operand (to a on ties)
                let (va, vb) = (values[a].data, values[b].data)
                accumulate(&grads, a, Tensor(shape: g.shape, data: (0..<va.count).map { va[$0] <= vb[$0] ? g.data[$0] : 0 }))
                accumulate(&grads, b, Tensor(shape: g.shape, data: (0..<va.count).map { va[$0] <= vb[$0] ? 0 : g.data[$0] }))
            case let .clamp(a, lo, hi):
                // 1 inside [lo, hi], 0 where the clamp is active
                accumulate(&grads, a, Self.pairwise(g, values[a]) { gv, x in x >= lo && x <= hi ? gv : 0 })
            case let .rows(a, range):
                // each picked row's gradient goes back to its place; the other rows get none from here
                let k = values[a].columns
                accumulate(&grads, a, shape: values[a].shape) { da in
                    for i in 0..<(range.count * k) { da[range.lowerBound * k + i] += g.data[i] }
                }
            case let .sumRows(a):
                let k = values[a].columns
                accumulate(&grads, a, Tensor(shape: values[a].shape, data: (0..<values[a].count).map { g.data[$0 / k] }))
            }
        }
        return Gradients(storage: grads)
    }

    // MARK: Helpers

    @inline(__always)
    private func map(_ a: Var, _ f: (Float) -> Float) -> Tensor { Self.map(values[a.id], f) }

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

    /// g where the ReLU's output is positive, 0 elsewhere.
    static func reluMask(_ g: Tensor, output y: Tensor) -> Tensor {
        precondition(g.count == y.count, "reluMask: \(g.shape) and \(y.shape)")
        let out = [Float](unsafeUninitializedCapacity: g.count) { buffer, initialized in
            g.data.withUnsafeBufferPointer { pg in
                y.data.withUnsafeBufferPointer { py in
                    if let o = buffer.baseAddress, let g = pg.baseAddress, let y = py.baseAddress { rlhf_relu_mask(pg.count, g, y, o) }
                }
            }
            initialized = g.count
        }
        return Tensor(shape: g.shape, data: out)
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
    private func elementwise(_ a: Var, _ b: Var, _ f: (Float, Float) -> Float) -> Tensor {
        let (ta, tb) = (values[a.id], values[b.id])
        if ta.count == tb.count {
            precondition(ta.shape == tb.shape || tb.rows == 1, "elementwise: shapes \(ta.shape) and \(tb.shape)")
            return Tensor(shape: ta.shape, data: zip(ta.data, tb.data).map(f))
        }
        precondition(tb.count == ta.columns && tb.rows == 1, "elementwise: cannot broadcast \(tb.shape) over \(ta.shape)")
        let n = tb.count
        return Tensor(shape: ta.shape, data: (0..<ta.count).map { f(ta.data[$0], tb.data[$0 % n]) })
    }

    private func accumulate(_ grads: inout [Tensor?], _ id: Int, _ g: Tensor) {
        guard needsGrad[id] else { return }
        guard var existing = grads[id] else {
            grads[id] = g
            return
        }
        grads[id] = nil  // so `existing` is the only reference and is added to in place
        existing.data.withUnsafeMutableBufferPointer { e in
            g.data.withUnsafeBufferPointer { pg in
                for i in 0..<e.count { e[i] += pg[i] }
            }
        }
        grads[id] = existing
    }

    private func accumulate(_ grads: inout [Tensor?], _ id: Int, shape: [Int],
                            _ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        guard needsGrad[id] else { return }
        var t = grads[id] ?? Tensor(zeros: shape)
        grads[id] = nil
        t.data.withUnsafeMutableBufferPointer { body($0) }
        grads[id] = t
    }

    /// Adds `f(g[i], i, column)` into b's gradient, summing over rows when b was broadcast.
    private func accumulateBroadcast(_ grads: inout [Tensor?], _ b: Int, _ g: Tensor,
                                     _ f: (Float, Int, Int) -> Float) {
        let tb = values[b]
        let n = tb.count
        accumulate(&grads, b, shape: tb.shape) { db in
            for i in 0..<g.count { db[i % n] += f(g.data[i], i, i % n) }
        }
    }

    /// db[j] += Σ_i g[i, j], the rows added in order.
    private func sumRows(_ g: Tensor, into db: UnsafeMutableBufferPointer<Float>) {
        g.data.withUnsafeBufferPointer { pg in
            if let src = pg.baseAddress, let dst = db.baseAddress { rlhf_add_rows(g.rows, g.columns, src, dst) }
        }
    }

    private func withBuffers(_ a: Tensor, _ b: Tensor,
                             _ body: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Void) {
        a.data.withUnsafeBufferPointer { pa in b.data.withUnsafeBufferPointer { pb in body(pa, pb) } }
    }
}

/// The gradients produced by `Tape.backward`.
public struct Gradients {
    let storage: [Tensor?]
    /// ∂root/∂v, or nil when v does not influence the root.
    public subscript(_ v: Var) -> Tensor? { storage[v.id] }
}
