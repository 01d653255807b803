import CKernels
import Testing

@testable import Engine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The inference kernels (`rlhf_infer_*`) must compute the formulas CKernels.h gives, in that order: the same bits as a
/// plain Swift loop of the formula, at every instruction-set level and thread count.
@Suite(.serialized)
struct InferenceKernelTests {
    static func random(_ count: Int, _ rng: inout RNG) -> [Float] { (0..<count).map { _ in rng.normal() } }

    /// Σ x in the `sum8` order CKernels.h documents: eight lanes by index mod 8, each in increasing index, combined
    /// pairwise.
    static func sum8(_ x: [Float]) -> Float {
        var lanes = [Float](repeating: 0, count: 8)
        for (j, v) in x.enumerated() { lanes[j % 8] = lanes[j % 8] + v }
        return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
    }

    /// Runs `body` at every level this CPU has, then goes back to the best.
    static func atEveryLevel(_ body: (RLHFKernelLevel) -> Void) {
        for level in KernelTests.levels {
            rlhf_kernels_set_level(level)
            body(level)
        }
        rlhf_kernels_set_level(rlhf_kernels_best_level())
    }

    /// Shapes reaching every path: rows in blocks of four and the 1–3 left over, whole and partial panels of sixteen
    /// columns, a single column, and products big enough to be split between threads.
    @Test(arguments: [
        (rows: 1, n: 1, depth: 1), (rows: 3, n: 7, depth: 8), (rows: 4, n: 16, depth: 5), (rows: 5, n: 17, depth: 9),
        (rows: 16, n: 65, depth: 128), (rows: 16, n: 384, depth: 128), (rows: 7, n: 128, depth: 512),
        (rows: 2, n: 33, depth: 3),
    ])
    func linearIsThePlainLoopAtEveryLevel(rows: Int, n: Int, depth: Int) {
        var rng = RNG(seed: UInt64(rows * 1_000 + n * 10 + depth))
        let (x, w, bias, start) = (
            Self.random(rows * depth, &rng), Self.random(depth * n, &rng), Self.random(n, &rng),
            Self.random(rows * n, &rng)
        )
        for (withBias, accumulate) in [(false, false), (true, false), (true, true), (false, true)] {
            var expected = start
            for r in 0..<rows {
                for j in 0..<n {
                    var sum: Float = 0
                    for q in 0..<depth { sum = sum + x[r * depth + q] * w[q * n + j] }
                    let v = withBias ? sum + bias[j] : sum
                    expected[r * n + j] = accumulate ? start[r * n + j] + v : v
                }
            }
            for threads: Int32 in [1, 2] {
                rlhf_kernels_set_threads(threads)
                Self.atEveryLevel { level in
                    var out = start
                    var packed = [Float](repeating: .nan, count: rlhf_infer_packed_count(depth, n))
                    packed.withUnsafeMutableBufferPointer { rlhf_infer_pack(depth, n, w, $0.baseAddress) }
                    out.withUnsafeMutableBufferPointer { o in
                        bias.withUnsafeBufferPointer { b in
                            rlhf_infer_linear(
                                rows, n, depth, x, packed, withBias ? b.baseAddress : nil, o.baseAddress,
                                accumulate ? 1 : 0)
                        }
                    }
                    #expect(
                        out.map(\.bitPattern) == expected.map(\.bitPattern),
                        "level \(level.rawValue), threads \(threads), bias \(withBias), accumulate \(accumulate)")
                }
            }
        }
        rlhf_kernels_set_threads(2)
    }

    @Test(arguments: [(rows: 1, n: 1), (rows: 3, n: 8), (rows: 5, n: 128), (rows: 2, n: 37)])
    func layerNormIsTheFormulaAtEveryLevel(rows: Int, n: Int) {
        var rng = RNG(seed: UInt64(rows * 100 + n))
        let (x, weight, bias) = (Self.random(rows * n, &rng), Self.random(n, &rng), Self.random(n, &rng))
        var expected = [Float](repeating: 0, count: rows * n)
        for r in 0..<rows {
            let row = Array(x[(r * n)..<(r * n + n)])
            let mean = Self.sum8(row) / Float(n)
            let centred = row.map { $0 - mean }
            let rstd = 1 / (Self.sum8(centred.map { $0 * $0 }) / Float(n) + 1e-5).squareRoot()
            for j in 0..<n { expected[r * n + j] = centred[j] * rstd * weight[j] + bias[j] }
        }
        Self.atEveryLevel { level in
            var out = [Float](repeating: .nan, count: rows * n)
            out.withUnsafeMutableBufferPointer { rlhf_infer_layer_norm(rows, n, x, weight, bias, 1e-5, $0.baseAddress) }
            #expect(out.map(\.bitPattern) == expected.map(\.bitPattern), "level \(level.rawValue)")
        }
    }

    /// GELU (as x·σ(2u), with the kernels' own exp) against x·σ(2u) in Double with libm's exp, over [−12, 12] and its
    /// edges: within 4e-7·(1 + |2u|) relative, since float's rounding of u is amplified by exp in the left tail (as in
    /// any float GELU); the same bits at every level.
    @Test func geluIsTheTanhFormAtEveryLevel() {
        var x: [Float] = stride(from: -12, through: 12, by: 0.0037).map { Float($0) }
        x += [0, -0, 1e-30, -1e-30, 4.5, -4.5, 9, -9, 100, -100, .infinity]
        var bits: [[UInt32]] = []
        Self.atEveryLevel { _ in
            var out = x
            out.withUnsafeMutableBufferPointer { rlhf_infer_gelu(x.count, $0.baseAddress) }
            bits.append(out.map(\.bitPattern))
            for (v, y) in zip(x, out) {
                guard v.isFinite else {
                    #expect(y == v)
                    continue
                }
                let d = Double(v)
                let u = (2 / Double.pi).squareRoot() * (d + 0.044715 * d * d * d)
                let exact = d / (1 + exp(-2 * u))  // ½x(1 + tanh u) = x·σ(2u)
                // Far left exp's clamp at 88 leaves x·e⁻⁸⁸ (|x|·6e-39) where the exact value underflows.
                let tolerance = 4e-7 * (1 + abs(2 * u)) * abs(exact) + abs(d) * 1e-38
                #expect(abs(Double(y) - exact) <= tolerance, "gelu(\(v)) = \(y), not \(exact)")
            }
        }
        #expect(bits.allSatisfy { $0 == bits[0] })
        var nan = [Float.nan]
        nan.withUnsafeMutableBufferPointer { rlhf_infer_gelu(1, $0.baseAddress) }
        #expect(nan[0].isNaN)
    }

    /// One query's attention: the same bits at every level, and within 1e-6 of the formula in Double (the kernels' exp
    /// is within about 1 ulp of eˣ).
    @Test(arguments: [
        (n: 1, headDim: 4), (n: 5, headDim: 4), (n: 17, headDim: 32), (n: 64, headDim: 32), (n: 47, headDim: 45),
        (n: 9, headDim: 8),
    ])
    func attendIsTheFormulaAtEveryLevel(n: Int, headDim: Int) {
        var rng = RNG(seed: UInt64(n * 100 + headDim))
        let stride = n + 3  // keys sit in rows longer than the positions used, as in the cache
        let (q, keys, values) = (
            Self.random(headDim, &rng), Self.random(headDim * stride, &rng), Self.random(n * headDim, &rng)
        )
        let scale = 1 / Float(headDim).squareRoot()
        let s = (0..<n).map { j in (0..<headDim).reduce(0.0) { $0 + Double(q[$1]) * Double(keys[$1 * stride + j]) } }
        let top = s.max() ?? 0
        let e = s.map { exp(($0 - top) * Double(scale)) }
        let total = e.reduce(0, +)
        let expected = (0..<headDim).map { d in
            (0..<n).reduce(0.0) { $0 + e[$1] / total * Double(values[$1 * headDim + d]) }
        }
        var bits: [[UInt32]] = []
        Self.atEveryLevel { level in
            var out = [Float](repeating: .nan, count: headDim)
            var scores = [Float](repeating: .nan, count: n)
            scores.withUnsafeMutableBufferPointer { sc in
                out.withUnsafeMutableBufferPointer { o in
                    rlhf_infer_attend(n, headDim, q, keys, stride, values, scale, sc.baseAddress, o.baseAddress)
                }
            }
            bits.append(out.map(\.bitPattern))
            for (ours, exact) in zip(out, expected) {
                #expect(abs(Double(ours) - exact) <= 1e-6 * (1 + abs(exact)), "level \(level.rawValue)")
            }
        }
        #expect(bits.allSatisfy { $0 == bits[0] })
    }
}
