/// Dense kernels on raw buffers. Loops run in a fixed order so results are bitwise reproducible.
enum Kernels {
    /// c[m,n] (+)= a[m,k] · b[k,n]
    static func matmul(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, _ c: UnsafeMutableBufferPointer<Float>,
                       m: Int, k: Int, n: Int, accumulate: Bool) {
        if !accumulate { c.update(repeating: 0) }
        for i in 0..<m {
            let ci = i * n
            for p in 0..<k {
                let aip = a[i * k + p]
                if aip == 0 { continue }
                let bp = p * n
                for j in 0..<n { c[ci + j] += aip * b[bp + j] }
            }
        }
    }

    /// c[m,n] (+)= a[m,k] · b[n,k]ᵀ
    ///
    /// Each c[i,j] is the sum over p of a[i,p]·b[j,p] taken in increasing p, whichever path runs, so the result is
    /// the same bits as the plain dot-product loop. For more than a few rows, b is transposed once so the inner loop
    /// runs along contiguous memory and vectorises.
    static func matmulBT(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, _ c: UnsafeMutableBufferPointer<Float>,
                         m: Int, k: Int, n: Int, accumulate: Bool) {
        if m < 4 {
            for i in 0..<m {
                let ai = i * k
                for j in 0..<n {
                    let bj = j * k
                    var s: Float = 0
                    for p in 0..<k { s += a[ai + p] * b[bj + p] }
                    if accumulate { c[i * n + j] += s } else { c[i * n + j] = s }
                }
            }
            return
        }
        var bt = [Float](repeating: 0, count: k * n)  // [k, n]
        bt.withUnsafeMutableBufferPointer { t in
            for j in 0..<n {
                for p in 0..<k { t[p * n + j] = b[j * k + p] }
            }
        }
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

    /// c[k,n] (+)= a[m,k]ᵀ · b[m,n]
    static func matmulAT(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, _ c: UnsafeMutableBufferPointer<Float>,
                         m: Int, k: Int, n: Int, accumulate: Bool) {
        if !accumulate { c.update(repeating: 0) }
        for i in 0..<m {
            let bi = i * n
            for p in 0..<k {
                let aip = a[i * k + p]
                if aip == 0 { continue }
                let cp = p * n
                for j in 0..<n { c[cp + j] += aip * b[bi + j] }
            }
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
        let m = rows, k = columns, n = w.rows
        precondition(w.columns == k && b.count == n, "linear: \(shape) with weight \(w.shape), bias \(b.shape)")
        var out = Tensor(zeros: [m, n])
        data.withUnsafeBufferPointer { px in
            w.data.withUnsafeBufferPointer { pw in
                out.data.withUnsafeMutableBufferPointer { pc in
                    Kernels.matmulBT(px, pw, pc, m: m, k: k, n: n, accumulate: false)
                    b.data.withUnsafeBufferPointer { pb in
                        for i in 0..<m {
                            for j in 0..<n {
                                let v = pc[i * n + j] + pb[j]
                                pc[i * n + j] = relu ? max(v, 0) : v
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
