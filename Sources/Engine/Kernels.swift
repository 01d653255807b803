/// Dense kernels on raw buffers. Loops run in a fixed order so results are bitwise reproducible.
enum Kernels {
    /// y[0..<n] += alpha · x[0..<n], eight lanes at a time. Each element gets one multiply and one add, exactly as
    /// the scalar loop would (no reassociation, no fused multiply-add), so results do not depend on the lane width.
    @inline(__always)
    static func axpy(_ n: Int, _ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let a8 = SIMD8<Float>(repeating: alpha)
        var j = 0
        while j + 8 <= n {
            let xs = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<Float>.self)
            let ys = UnsafeRawPointer(y + j).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + j).storeBytes(of: ys + a8 * xs, as: SIMD8<Float>.self)
            j += 8
        }
        while j < n {
            y[j] += alpha * x[j]
            j += 1
        }
    }

    /// c[m,n] (+)= a[m,k] · b[k,n]
    static func matmul(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, _ c: UnsafeMutableBufferPointer<Float>,
                       m: Int, k: Int, n: Int, accumulate: Bool) {
        if !accumulate { c.update(repeating: 0) }
        // An empty operand means a zero-sized product: nothing to add.
        guard let pb = b.baseAddress, let pc = c.baseAddress else { return }
        for i in 0..<m {
            let ci = i * n
            for p in 0..<k {
                let aip = a[i * k + p]
                if aip == 0 { continue }
                axpy(n, aip, pb + p * n, pc + ci)
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
        guard let pb = b.baseAddress, let pc = c.baseAddress else { return }
        for i in 0..<m {
            let bi = i * n
            for p in 0..<k {
                let aip = a[i * k + p]
                if aip == 0 { continue }
                axpy(n, aip, pb + bi, pc + p * n)
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
