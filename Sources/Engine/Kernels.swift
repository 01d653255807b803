import CKernels

/// Dense kernels on raw buffers, over the C kernels in `CKernels` (AVX-512, AVX2 or portable, chosen at run time).
///
/// Each output element is a sum taken in a fixed order with separate multiplies and adds, so results are bitwise
/// reproducible and do not depend on which instruction set ran.
enum Kernels {
    /// c[m,n] (+)= a[m,k] · b[k,n]
    static func matmul(
        _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, _ c: UnsafeMutableBufferPointer<Float>,
        m: Int, k: Int, n: Int, accumulate: Bool
    ) {
        gemm(rows: m, n: n, depth: k, a, aRow: k, aDepth: 1, b, c, accumulate: accumulate)
    }

    /// c[k,n] (+)= a[m,k]ᵀ · b[m,n]
    static func matmulAT(
        _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, _ c: UnsafeMutableBufferPointer<Float>,
        m: Int, k: Int, n: Int, accumulate: Bool
    ) {
        gemm(rows: k, n: n, depth: m, a, aRow: 1, aDepth: k, b, c, accumulate: accumulate)
    }

    /// `rlhf_gemm` on buffers: c[r, ·] (+)= Σ_q a[r·aRow + q·aDepth] · b[q, ·].
    private static func gemm(
        rows: Int, n: Int, depth: Int, _ a: UnsafeBufferPointer<Float>, aRow: Int, aDepth: Int,
        _ b: UnsafeBufferPointer<Float>, _ c: UnsafeMutableBufferPointer<Float>, accumulate: Bool
    ) {
        // An empty operand means a zero-sized product: nothing to add.
        guard let pa = a.baseAddress, let pb = b.baseAddress, let pc = c.baseAddress else {
            if !accumulate { c.update(repeating: 0) }
            return
        }
        rlhf_gemm(rows, n, depth, pa, aRow, aDepth, pb, pc, accumulate ? 1 : 0)
    }

    /// c[m,n] (+)= a[m,k] · b[n,k]ᵀ
    ///
    /// Each c[i,j] is the sum over p of a[i,p]·b[j,p] taken in increasing p, then added to c[i,j] when accumulating:
    /// the same bits as the plain dot-product loop. b is transposed first so the sums run along contiguous memory.
    static func matmulBT(
        _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, _ c: UnsafeMutableBufferPointer<Float>,
        m: Int, k: Int, n: Int, accumulate: Bool
    ) {
        let bt = transpose(b, rows: n, columns: k)  // [k, n]
        bt.withUnsafeBufferPointer { t in
            if !accumulate { return matmul(a, t, c, m: m, k: k, n: n, accumulate: false) }
            // Sum into a fresh buffer first, then add: c + (Σ_p …), as the dot-product loop does.
            var fresh = [Float](repeating: 0, count: m * n)
            fresh.withUnsafeMutableBufferPointer { f in
                matmul(a, t, f, m: m, k: k, n: n, accumulate: false)
                for i in 0..<(m * n) { c[i] += f[i] }
            }
        }
    }

    /// x[rows, columns] → xᵀ[columns, rows]
    static func transpose(_ x: UnsafeBufferPointer<Float>, rows: Int, columns: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: rows * columns) { t, initialized in
            if let src = x.baseAddress, let dst = t.baseAddress { rlhf_transpose(rows, columns, src, dst) }
            initialized = rows * columns
        }
    }
}

extension Tensor {
    /// a[m,k] · b[k,n] without recording anything (inference).
    public func matmul(_ b: Tensor) -> Tensor {
        let m = rows, k = columns, n = b.columns
        precondition(b.rows == k, "matmul: [\(m),\(k)] · \(b.shape)")
        var out = Tensor(zeros: [m, n])
        data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                out.data.withUnsafeMutableBufferPointer { pc in
                    Kernels.matmul(pa, pb, pc, m: m, k: k, n: n, accumulate: false)
                }
            }
        }
        return out
    }

    /// x[m,in] · w[out,in]ᵀ + b[1,out], optionally followed by ReLU (inference).
    public func linear(weight w: Tensor, bias b: Tensor, relu: Bool = false) -> Tensor {
        precondition(
            w.columns == columns && b.count == w.rows, "linear: \(shape) with weight \(w.shape), bias \(b.shape)")
        let wt = w.data.withUnsafeBufferPointer { Kernels.transpose($0, rows: w.rows, columns: w.columns) }
        return linear(transposedWeight: wt, bias: b, relu: relu)
    }

    /// x[m,in] · wt[in,out] + b[1,out], optionally followed by ReLU: `linear` with the weight already transposed.
    func linear(transposedWeight wt: [Float], bias b: Tensor, relu: Bool = false) -> Tensor {
        let m = rows, k = columns, n = b.count
        precondition(
            wt.count == k * n, "linear: \(shape) with a transposed weight of \(wt.count) values, bias \(b.shape)")
        let out = [Float](unsafeUninitializedCapacity: m * n) { pc, initialized in
            data.withUnsafeBufferPointer { px in
                wt.withUnsafeBufferPointer { pw in
                    Kernels.matmul(px, pw, pc, m: m, k: k, n: n, accumulate: false)
                }
            }
            b.data.withUnsafeBufferPointer { pb in
                if let c = pc.baseAddress, let bias = pb.baseAddress { rlhf_add_bias(m, n, c, bias, relu ? 1 : 0) }
            }
            initialized = m * n
        }
        return Tensor(shape: [m, n], data: out)
    }
}
