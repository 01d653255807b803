import CKernels
import Testing

@testable import Engine

/// The C kernels must give the bits of the plain loops they replace, at every instruction-set level this CPU has.
@Suite(.serialized)
struct KernelTests {
    /// Every level up to the best one here (levels above it fall back, so they would only repeat a case).
    static var levels: [RLHFKernelLevel] {
        [RLHFKernelsPortable, RLHFKernelsAVX2, RLHFKernelsAVX512].filter {
            $0.rawValue <= rlhf_kernels_best_level().rawValue
        }
    }

    /// c[r, j] (+)= Σ_q A(r, q)·b[q, j] in increasing q, zero A(r, q) skipped: the loop `rlhf_gemm` documents.
    static func referenceProduct(
        rows: Int, n: Int, depth: Int, a: [Float], aRow: Int, aDepth: Int, b: [Float],
        c: [Float], accumulate: Bool
    ) -> [Float] {
        var out = accumulate ? c : [Float](repeating: 0, count: rows * n)
        for r in 0..<rows {
            for q in 0..<depth {
                let av = a[r * aRow + q * aDepth]
                if av == 0 { continue }
                for j in 0..<n { out[r * n + j] = out[r * n + j] + av * b[q * n + j] }
            }
        }
        return out
    }

    /// Shapes that reach every path: narrow (n < 8), shallow (depth ≤ 4), partial and whole 64-column chunks, several
    /// chunks, depth over one block of 256, and a transposed a.
    @Test(arguments: [
        (rows: 5, n: 1, depth: 64, transposed: false),
        (rows: 17, n: 7, depth: 3, transposed: false),
        (rows: 64, n: 64, depth: 100, transposed: false),
        (rows: 3, n: 100, depth: 64, transposed: true),
        (rows: 9, n: 37, depth: 300, transposed: false),
        (rows: 2, n: 200, depth: 5, transposed: true),
        (rows: 1, n: 8, depth: 1, transposed: false),
        (rows: 64, n: 100, depth: 2, transposed: true),
    ])
    func productMatchesThePlainLoopAtEveryLevel(rows: Int, n: Int, depth: Int, transposed: Bool) {
        var rng = RNG(seed: UInt64(rows * 1000 + n))
        // A third of the entries of rows 2 and 3 of every four rows of A are zero, as after a ReLU, so the skipping is
        // exercised; rows 0 and 1 are dense, so two rows also go through together.
        let a = (0..<(rows * depth)).map { e in
            let r = transposed ? e % rows : e / depth
            return r % 4 < 2 || rng.uniform(0, 1) >= 0.33 ? rng.normal() : 0
        }
        let b = (0..<(depth * n)).map { _ in rng.normal() }
        let start = (0..<(rows * n)).map { _ in rng.normal() }
        let (aRow, aDepth) = transposed ? (1, rows) : (depth, 1)
        for accumulate in [false, true] {
            let expected = Self.referenceProduct(
                rows: rows, n: n, depth: depth, a: a, aRow: aRow, aDepth: aDepth,
                b: b, c: start, accumulate: accumulate)
            for level in Self.levels {
                rlhf_kernels_set_level(level)
                var c = start
                c.withUnsafeMutableBufferPointer { pc in
                    rlhf_gemm(rows, n, depth, a, aRow, aDepth, b, pc.baseAddress, accumulate ? 1 : 0)
                }
                #expect(
                    c.map(\.bitPattern) == expected.map(\.bitPattern),
                    "level \(level.rawValue), accumulate \(accumulate)")
            }
        }
        rlhf_kernels_set_level(rlhf_kernels_best_level())
    }

    /// Big enough to be split between two threads; the rows each thread computes must come out the same bits.
    @Test(arguments: [(rows: 128, n: 64, depth: 100), (rows: 2_049, n: 1, depth: 64), (rows: 64, n: 100, depth: 128)])
    func splitBetweenThreadsIsTheSameBits(rows: Int, n: Int, depth: Int) {
        var rng = RNG(seed: UInt64(rows + n))
        let a = (0..<(rows * depth)).map { _ in rng.uniform(0, 1) < 0.5 ? 0 : rng.normal() }
        let b = (0..<(depth * n)).map { _ in rng.normal() }
        func product(threads: Int32) -> [Float] {
            rlhf_kernels_set_threads(threads)
            var c = [Float](repeating: 0, count: rows * n)
            c.withUnsafeMutableBufferPointer { pc in rlhf_gemm(rows, n, depth, a, depth, 1, b, pc.baseAddress, 0) }
            return c
        }
        let expected = Self.referenceProduct(
            rows: rows, n: n, depth: depth, a: a, aRow: depth, aDepth: 1, b: b,
            c: [], accumulate: false)
        // The helper may be starting, asleep or held by another test (then the caller computes alone), so try until it
        // has taken part once.
        let before = rlhf_kernels_split_jobs()
        let deadline = ContinuousClock.now + .seconds(10)
        repeat {
            #expect(product(threads: 2).map(\.bitPattern) == expected.map(\.bitPattern))
        } while rlhf_kernels_split_jobs() == before && ContinuousClock.now < deadline
        #expect(rlhf_kernels_split_jobs() > before)
        #expect(product(threads: 1).map(\.bitPattern) == expected.map(\.bitPattern))
        rlhf_kernels_set_threads(2)
    }

    @Test(arguments: [1, 15, 16, 17, 6_529])
    func adamMatchesTheScalarFormulaAtEveryLevel(count: Int) {
        var rng = RNG(seed: UInt64(count))
        let g = (0..<count).map { _ in rng.normal() }
        let (p0, m0) = ((0..<count).map { _ in rng.normal() }, (0..<count).map { _ in rng.normal() * 0.1 })
        let v0 = (0..<count).map { _ in rng.uniform(0, 0.01) }
        let (beta1, beta2, lr, eps): (Float, Float, Float, Float) = (0.9, 0.999, 1e-3, 1e-8)
        let (c1, c2): (Float, Float) = (1 - 0.9 * 0.9 * 0.9, 1 - 0.999 * 0.999 * 0.999)
        var (pe, me, ve) = (p0, m0, v0)
        for j in 0..<count {
            me[j] = beta1 * me[j] + (1 - beta1) * g[j]
            ve[j] = beta2 * ve[j] + (1 - beta2) * g[j] * g[j]
            pe[j] -= lr * (me[j] / c1) / ((ve[j] / c2).squareRoot() + eps)
        }
        for level in Self.levels {
            rlhf_kernels_set_level(level)
            var (p, m, v) = (p0, m0, v0)
            p.withUnsafeMutableBufferPointer { pp in
                m.withUnsafeMutableBufferPointer { pm in
                    v.withUnsafeMutableBufferPointer { pv in
                        rlhf_adam(
                            count, pp.baseAddress, pm.baseAddress, pv.baseAddress, g, beta1, beta2, c1, c2, lr, eps)
                    }
                }
            }
            #expect(p.map(\.bitPattern) == pe.map(\.bitPattern), "level \(level.rawValue)")
            #expect(m.map(\.bitPattern) == me.map(\.bitPattern) && v.map(\.bitPattern) == ve.map(\.bitPattern))
        }
        rlhf_kernels_set_level(rlhf_kernels_best_level())
    }

    @Test(arguments: [(16, 16), (64, 100), (100, 64), (3, 5), (17, 33), (1, 64), (64, 1)])
    func transposeMovesEveryElementAtEveryLevel(rows: Int, columns: Int) {
        let x = (0..<(rows * columns)).map { Float($0) }
        for level in Self.levels {
            rlhf_kernels_set_level(level)
            var t = [Float](repeating: -1, count: rows * columns)
            t.withUnsafeMutableBufferPointer { rlhf_transpose(rows, columns, x, $0.baseAddress) }
            let expected = (0..<(rows * columns)).map { k in x[(k % rows) * columns + k / rows] }  // t[j, i] = x[i, j]
            #expect(t == expected, "level \(level.rawValue)")
        }
        rlhf_kernels_set_level(rlhf_kernels_best_level())
    }

    @Test func levelsAboveTheBestFallBack() {
        let best = rlhf_kernels_best_level()
        #expect(rlhf_kernels_set_level(RLHFKernelsAVX512) == best)
        #expect(rlhf_kernels_set_level(RLHFKernelsPortable) == RLHFKernelsPortable)
        #expect(rlhf_kernels_level() == RLHFKernelsPortable)
        rlhf_kernels_set_level(best)
    }
}
