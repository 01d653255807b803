import CKernels
import Testing

@testable import Engine
@testable import Models

/// The transformer kernels give the same bits at every instruction-set level and thread count, and the bits of the
/// plain loops they document.
@Suite(.serialized)
struct TransformerKernelTests {
    /// c[i, j] = Σ_q A(i, q)·b[q, j] summed from +0 in increasing q, every q (zeros included), then c + Σ when
    /// accumulating: the loop `rlhf_dense_product` documents.
    static func referenceProduct(
        m: Int, n: Int, k: Int, a: [Float], aRow: Int, aDepth: Int, b: [Float], c: [Float], accumulate: Bool
    ) -> [Float] {
        var out = c
        for i in 0..<m {
            for j in 0..<n {
                var s: Float = 0
                for q in 0..<k { s = s + a[i * aRow + q * aDepth] * b[q * n + j] }
                out[i * n + j] = accumulate ? c[i * n + j] + s : s
            }
        }
        return out
    }

    /// Shapes that reach every path of the tile code: whole and partial 16-column blocks, 1–5 leftover rows, a
    /// transposed A, a zero depth, and a product big enough to be split between threads.
    @Test(arguments: [
        (m: 6, n: 16, k: 8, transposed: false),
        (m: 7, n: 17, k: 5, transposed: false),
        (m: 11, n: 65, k: 128, transposed: true),
        (m: 1, n: 3, k: 1, transposed: false),
        (m: 5, n: 40, k: 0, transposed: false),
        (m: 64, n: 96, k: 32, transposed: true),
        (m: 130, n: 384, k: 128, transposed: false),
    ])
    func denseProductMatchesThePlainLoopAtEveryLevelAndThreadCount(m: Int, n: Int, k: Int, transposed: Bool) {
        var rng = RNG(seed: UInt64(m * 1000 + n + k))
        let a = (0..<(m * k)).map { _ in rng.normal() }
        let b = (0..<(k * n)).map { _ in rng.normal() }
        let start = (0..<(m * n)).map { _ in rng.normal() }
        let (aRow, aDepth) = transposed ? (1, m) : (k, 1)
        for accumulate in [false, true] {
            let expected = Self.referenceProduct(
                m: m, n: n, k: k, a: a, aRow: aRow, aDepth: aDepth, b: b, c: start, accumulate: accumulate)
            for level in KernelTests.levels {
                for threads: Int32 in [1, 2] {
                    rlhf_kernels_set_level(level)
                    rlhf_kernels_set_threads(threads)
                    var c = start
                    c.withUnsafeMutableBufferPointer { pc in
                        rlhf_dense_product(m, n, k, a, aRow, aDepth, b, n, pc.baseAddress, n, accumulate ? 1 : 0)
                    }
                    #expect(
                        c.map(\.bitPattern) == expected.map(\.bitPattern),
                        "level \(level.rawValue), \(threads) threads, accumulate \(accumulate)")
                }
            }
        }
        rlhf_kernels_set_level(rlhf_kernels_best_level())
        rlhf_kernels_set_threads(2)
    }

    /// The polynomial exp is within 2 ulp of the C library's across the range softmax and GELU use.
    @Test func expIsWithinTwoUlpOfTheLibrary() {
        var x: Float = -87
        var worst: Float = 0
        while x <= 88 {
            let (got, want) = (rlhf_exp(x), _expf(x))
            worst = max(worst, abs(got - want) / want.ulp)
            x += 0.01371
        }
        #expect(worst <= 2, "worst error \(worst) ulp")
        #expect(rlhf_exp(0) == 1)
    }

    /// GELU and layer norm, big enough to be shared with the helper thread, give the portable loop's bits.
    @Test func geluAndLayerNormAreTheSameBitsAtEveryLevelAndThreadCount() {
        var rng = RNG(seed: 21)
        let (rows, n) = (800, 128)
        let x = (0..<(rows * n)).map { _ in rng.normal() * 3 }
        let g = (0..<(rows * n)).map { _ in rng.normal() }
        let w = (0..<n).map { _ in 1 + rng.normal() * 0.1 }, b = (0..<n).map { _ in rng.normal() * 0.1 }
        func run(level: RLHFKernelLevel, threads: Int32) -> [UInt32] {
            rlhf_kernels_set_level(level)
            rlhf_kernels_set_threads(threads)
            var (y, s, dx) = ([Float](repeating: 0, count: x.count), [Float](repeating: 0, count: x.count), [Float]())
            dx = y
            var (ln, mean, rstd) = (y, [Float](repeating: 0, count: rows), [Float](repeating: 0, count: rows))
            rlhf_gelu_forward(x.count, x, &y, &s)
            rlhf_gelu_backward(x.count, x, s, g, &dx)
            rlhf_layer_norm_forward(rows, n, x, w, b, 1e-5, &ln, &mean, &rstd)
            return (y + s + dx + ln + mean + rstd).map(\.bitPattern)
        }
        let reference = run(level: RLHFKernelsPortable, threads: 1)
        for level in KernelTests.levels {
            for threads: Int32 in [1, 2] {
                #expect(run(level: level, threads: threads) == reference, "level \(level.rawValue), \(threads) threads")
            }
        }
        rlhf_kernels_set_level(rlhf_kernels_best_level())
        rlhf_kernels_set_threads(2)
    }

    /// A GPT's training steps — every transformer kernel, forward and backward, AdamW and clipping — come out the
    /// same bits at every level and with one or two threads. The sizes are big enough for products and attention to
    /// be shared with the helper thread.
    @Test func gptTrainingIsTheSameBitsAtEveryLevelAndThreadCount() {
        let config = GPTConfig(vocab: 11, layers: 2, heads: 2, dim: 32, context: 32)
        var rng = RNG(seed: 5)
        let start = GPT(config: config, rng: &rng)
        let (batch, time) = (4, 32)
        let inputs = (0..<(batch * time)).map { _ in rng.int(below: config.vocab) }
        let targets = (0..<(batch * time)).map { _ in rng.int(below: config.vocab) }
        func train(level: RLHFKernelLevel, threads: Int32) -> ([Float], [UInt32]) {
            rlhf_kernels_set_level(level)
            rlhf_kernels_set_threads(threads)
            var model = start
            var adam = Adam(shapes: GPT.parameterShapes(config))
            var figures: [Float] = []
            for _ in 0..<2 {
                let (loss, norm) = model.trainStep(
                    inputs: inputs, targets: targets, batch: batch, time: time, lr: 1e-2,
                    settings: AdamWSettings(), optimizer: &adam)
                figures += [loss, norm]
            }
            figures.append(model.loss(tokens: inputs, targets: targets, batch: batch, time: time))
            return (figures, model.parameters.flatMap { $0.data.map(\.bitPattern) })
        }
        let reference = train(level: RLHFKernelsPortable, threads: 1)
        for level in KernelTests.levels {
            // The helper may be asleep or held by another test (then the caller computes alone), so run with two
            // threads until it has taken part at least once.
            let splitsBefore = rlhf_kernels_split_jobs()
            let deadline = ContinuousClock.now + .seconds(20)
            for threads: Int32 in [1, 2, 2] {
                repeat {
                    let run = train(level: level, threads: threads)
                    #expect(run.0.map(\.bitPattern) == reference.0.map(\.bitPattern), "level \(level.rawValue)")
                    #expect(run.1 == reference.1, "parameters differ at level \(level.rawValue), \(threads) threads")
                } while threads == 2 && rlhf_kernels_split_jobs() == splitsBefore && ContinuousClock.now < deadline
            }
            #expect(rlhf_kernels_split_jobs() > splitsBefore)
        }
        rlhf_kernels_set_level(rlhf_kernels_best_level())
        rlhf_kernels_set_threads(2)
    }
}
