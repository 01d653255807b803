import Testing

@testable import Engine

/// Finite-difference checks of every primitive's gradient rule.
///
/// Each case builds a scalar loss L = Σ op(inputs) ⊙ W with a fixed random W (so every output entry matters with a
/// different weight), then compares ∂L/∂input from `backward` with the central difference (L(x+h) − L(x−h)) / 2h.
struct GradientCase: CustomTestStringConvertible, Sendable {
    let name: String
    let shapes: [[Int]]
    /// Builds the op's output from the input leaves.
    let build: @Sendable (Tape, [Var]) -> Var
    /// Inputs kept away from kinks (ReLU at 0) so the central difference is valid.
    var avoidZero = false
    /// Other kinks (a clamp's bounds) the inputs are kept 0.1 away from.
    var avoidKinks: [Float] = []
    var testDescription: String { name }
}

let gradientCases: [GradientCase] = [
    GradientCase(name: "matmul", shapes: [[3, 4], [4, 5]]) { t, v in t.matmul(v[0], v[1]) },
    GradientCase(name: "linear", shapes: [[3, 4], [5, 4], [1, 5]]) { t, v in t.linear(v[0], weight: v[1], bias: v[2]) },
    GradientCase(
        name: "linear with ReLU", shapes: [[3, 4], [5, 4], [1, 5]],
        build: { t, v in t.linear(v[0], weight: v[1], bias: v[2], relu: true) }, avoidZero: true),
    GradientCase(name: "rows", shapes: [[5, 3]]) { t, v in t.rows(v[0], 1..<4) },
    GradientCase(name: "concatColumns", shapes: [[3, 2], [3, 4]]) { t, v in t.concatColumns(v[0], v[1]) },
    GradientCase(name: "add", shapes: [[3, 4], [3, 4]]) { t, v in t.add(v[0], v[1]) },
    GradientCase(name: "add broadcast row", shapes: [[3, 4], [1, 4]]) { t, v in t.add(v[0], v[1]) },
    GradientCase(name: "sub", shapes: [[3, 4], [3, 4]]) { t, v in t.sub(v[0], v[1]) },
    GradientCase(name: "sub broadcast row", shapes: [[3, 4], [4]]) { t, v in t.sub(v[0], v[1]) },
    GradientCase(name: "mul", shapes: [[3, 4], [3, 4]]) { t, v in t.mul(v[0], v[1]) },
    GradientCase(name: "mul broadcast row", shapes: [[3, 4], [1, 4]]) { t, v in t.mul(v[0], v[1]) },
    GradientCase(name: "mul by itself", shapes: [[2, 3]]) { t, v in t.mul(v[0], v[0]) },
    GradientCase(name: "scale", shapes: [[2, 3]]) { t, v in t.scale(v[0], -2.5) },
    GradientCase(name: "neg", shapes: [[2, 3]]) { t, v in t.neg(v[0]) },
    GradientCase(name: "relu", shapes: [[3, 4]], build: { t, v in t.relu(v[0]) }, avoidZero: true),
    GradientCase(name: "logSigmoid", shapes: [[3, 4]]) { t, v in t.logSigmoid(v[0]) },
    GradientCase(name: "softplus", shapes: [[3, 4]]) { t, v in t.softplus(v[0]) },
    GradientCase(name: "sum", shapes: [[3, 4]]) { t, v in t.sum(v[0]) },
    GradientCase(name: "mean", shapes: [[3, 4]]) { t, v in t.mean(v[0]) },
    GradientCase(name: "exp", shapes: [[3, 4]]) { t, v in t.exp(v[0]) },
    GradientCase(name: "log of a positive input", shapes: [[3, 4]]) { t, v in
        t.log(t.add(t.mul(v[0], v[0]), t.leaf(Tensor(shape: [1, 4], data: [1, 1, 1, 1]))))
    },
    GradientCase(name: "logSoftmax rows", shapes: [[3, 5]]) { t, v in t.logSoftmax(v[0]) },
    GradientCase(name: "pick one column per row", shapes: [[3, 5]]) { t, v in t.pick(v[0], columns: [4, 0, 2]) },
    GradientCase(name: "minimum", shapes: [[3, 4], [3, 4]]) { t, v in t.minimum(v[0], v[1]) },
    GradientCase(
        name: "clamp", shapes: [[3, 4]], build: { t, v in t.clamp(v[0], -0.5, 0.5) }, avoidKinks: [-0.5, 0.5]),
    GradientCase(name: "sumRows", shapes: [[3, 4]]) { t, v in t.sumRows(v[0]) },
    GradientCase(name: "affine (Conv1D)", shapes: [[3, 4], [4, 5], [5]]) { t, v in
        t.affine(v[0], weight: v[1], bias: v[2])
    },
    GradientCase(name: "matmulTransposed", shapes: [[3, 4], [5, 4]]) { t, v in t.matmulTransposed(v[0], v[1]) },
    GradientCase(name: "embedding, an id repeated", shapes: [[5, 3]]) { t, v in t.embedding(v[0], ids: [4, 0, 4, 2]) },
    GradientCase(name: "layerNorm", shapes: [[3, 6], [6], [6]]) { t, v in t.layerNorm(v[0], weight: v[1], bias: v[2]) },
    GradientCase(name: "gelu", shapes: [[4, 5]]) { t, v in t.gelu(t.scale(v[0], 2)) },
    GradientCase(name: "causalAttention, 2 sequences of 3, 2 heads", shapes: [[6, 12]]) { t, v in
        t.causalAttention(v[0], batch: 2, time: 3, heads: 2)
    },
    GradientCase(name: "causalAttention, 18 positions (two row blocks)", shapes: [[18, 6]]) { t, v in
        t.causalAttention(v[0], batch: 1, time: 18, heads: 1)
    },
    GradientCase(name: "crossEntropy", shapes: [[4, 5]]) { t, v in t.crossEntropy(v[0], targets: [1, 0, 4, 4]) },
    GradientCase(name: "composite MLP + Bradley–Terry", shapes: [[4, 3], [5, 3], [1, 5], [1, 5], [1, 1], [4, 3]]) {
        t, v in
        let rc = t.linear(t.relu(t.linear(v[0], weight: v[1], bias: v[2])), weight: v[3], bias: v[4])
        let rr = t.linear(t.relu(t.linear(v[5], weight: v[1], bias: v[2])), weight: v[3], bias: v[4])
        return t.neg(t.mean(t.logSigmoid(t.sub(rc, rr))))
    },
]

@Test(arguments: gradientCases)
func gradientMatchesFiniteDifference(_ c: GradientCase) {
    var rng = RNG(seed: 7)
    var inputs = c.shapes.map { rng.normalTensor($0) }
    if c.avoidZero {
        inputs = inputs.map { t in
            Tensor(shape: t.shape, data: t.data.map { abs($0) < 0.1 ? $0 + ($0 < 0 ? -0.2 : 0.2) : $0 })
        }
    }
    for kink in c.avoidKinks {
        inputs = inputs.map { t in
            Tensor(shape: t.shape, data: t.data.map { abs($0 - kink) < 0.1 ? kink + ($0 < kink ? -0.15 : 0.15) : $0 })
        }
    }
    // Output weights: the same draw for every evaluation of L.
    let probe = Tape()
    let outShape = probe.value(c.build(probe, inputs.map { probe.leaf($0) })).shape
    let weights = rng.normalTensor(outShape)

    func loss(_ xs: [Tensor]) -> (Double, [Tensor?]) {
        let tape = Tape()
        let leaves = xs.map { tape.leaf($0) }
        let out = c.build(tape, leaves)
        let l = tape.sum(tape.mul(out, tape.leaf(weights)))
        let g = tape.backward(l)
        return (Double(tape.value(l).data[0]), leaves.map { g[$0] })
    }

    let (_, analytic) = loss(inputs)
    let h: Float = 1e-2
    for (k, x) in inputs.enumerated() {
        let g = analytic[k] ?? Tensor(zeros: x.shape)
        #expect(g.shape == x.shape, "gradient of input \(k) has shape \(g.shape), input has \(x.shape)")
        for i in 0..<x.count {
            var plus = inputs, minus = inputs
            plus[k].data[i] += h
            minus[k].data[i] -= h
            let numeric = (loss(plus).0 - loss(minus).0) / Double(2 * h)
            let err = abs(numeric - Double(g.data[i]))
            #expect(
                err <= 2e-2 * max(1, abs(numeric)),
                "\(c.name): ∂L/∂x\(k)[\(i)] analytic \(g.data[i]) vs numeric \(numeric)")
        }
    }
}

/// The op table is complete: every primitive is the op under test (the output) of some finite-difference case, so a
/// new primitive cannot arrive without a check of its gradient rule. (That it has a rule at all the compiler sees to:
/// `Tape.record` takes one.)
@Test func everyPrimitiveHasAFiniteDifferenceCase() {
    var checked: Set<Primitive> = []
    for c in gradientCases {
        let tape = Tape()
        let out = c.build(tape, c.shapes.map { tape.leaf(Tensor(zeros: $0)) })
        if let primitive = tape.primitive(of: out) { checked.insert(primitive) }
    }
    let unchecked = Primitive.allCases.filter { !checked.contains($0) }
    #expect(unchecked.isEmpty, "primitives without a gradient case: \(unchecked.map(\.rawValue))")
}

@Test func backwardGivesNoGradientToUnusedValues() {
    let tape = Tape()
    let a = tape.leaf(Tensor(shape: [2], data: [1, 2]))
    let unused = tape.leaf(Tensor(shape: [2], data: [3, 4]))
    let g = tape.backward(tape.sum(a))
    #expect(g[a] == Tensor(shape: [2], data: [1, 1]))
    #expect(g[unused] == nil)
}

@Test func logSigmoidIsStableForLargeInputs() {
    let tape = Tape()
    let x = tape.leaf(Tensor(shape: [4], data: [-200, -30, 30, 200]))
    let y = tape.value(tape.logSigmoid(x)).data
    #expect(y.allSatisfy { $0.isFinite })
    #expect(y[0] == -200)  // log σ(x) → x as x → −∞
    #expect(abs(y[3]) < 1e-30)  // log σ(x) → 0 as x → ∞
    let sp = tape.value(tape.softplus(x)).data
    #expect(sp[3] == 200 && sp[0] >= 0 && sp.allSatisfy { $0.isFinite })
}

@Test func logSoftmaxRowsAreNormalisedAndShiftInvariant() {
    let tape = Tape()
    let x = tape.leaf(Tensor(shape: [2, 3], data: [1, 2, 3, 1001, 1002, 1003]))
    let y = tape.value(tape.logSoftmax(x)).data
    // log softmax([1, 2, 3]) = [1, 2, 3] − log(e + e² + e³) = [−2.4076, −1.4076, −0.4076]
    for (got, want) in zip(y, [-2.40761, -1.40761, -0.40761, -2.40761, -1.40761, -0.40761] as [Float]) {
        #expect(abs(got - want) < 1e-4)
    }
}

@Test func minimumRoutesTheGradientToTheSmallerOperand() {
    let tape = Tape()
    let a = tape.leaf(Tensor(shape: [3], data: [1, 5, 2]))
    let b = tape.leaf(Tensor(shape: [3], data: [3, 4, 2]))
    let g = tape.backward(tape.sum(tape.minimum(a, b)))
    #expect(g[a] == Tensor(shape: [3], data: [1, 0, 1]))
    #expect(g[b] == Tensor(shape: [3], data: [0, 1, 0]))
}

@Test func constantsGetNoGradientAndChangeNoOtherGradient() {
    var rng = RNG(seed: 11)
    let (x, w, b) = (rng.normalTensor([5, 4]), rng.normalTensor([3, 4]), rng.normalTensor([1, 3]))
    func grads(xAsConstant: Bool) -> (Tensor?, Tensor?, Tensor?) {
        let tape = Tape()
        let vx = xAsConstant ? tape.constant(x) : tape.leaf(x)
        let (vw, vb) = (tape.leaf(w), tape.leaf(b))
        let g = tape.backward(tape.mean(tape.relu(tape.linear(vx, weight: vw, bias: vb))))
        return (g[vx], g[vw], g[vb])
    }
    let withConstant = grads(xAsConstant: true)
    let withLeaf = grads(xAsConstant: false)
    #expect(withConstant.0 == nil && withLeaf.0 != nil)
    #expect(withConstant.1 == withLeaf.1 && withConstant.2 == withLeaf.2)
}

@Test(arguments: [1, 3, 4, 9])
func transposedProductIsTheSameBitsAsTheDotProductLoop(rows m: Int) {
    var rng = RNG(seed: UInt64(m))
    let (k, n) = (37, 11)
    let a = rng.normalTensor([m, k]), b = rng.normalTensor([n, k]), start = rng.normalTensor([m, n])
    var expected = start.data
    for i in 0..<m {
        for j in 0..<n {
            var s: Float = 0
            for p in 0..<k { s += a.data[i * k + p] * b.data[j * k + p] }
            expected[i * n + j] += s
        }
    }
    var got = start.data
    a.data.withUnsafeBufferPointer { pa in
        b.data.withUnsafeBufferPointer { pb in
            got.withUnsafeMutableBufferPointer { pc in Kernels.matmulBT(pa, pb, pc, m: m, k: k, n: n, accumulate: true)
            }
        }
    }
    #expect(got.map(\.bitPattern) == expected.map(\.bitPattern))
}

@Test func fusedLinearReLUIsTheSameBitsAsLinearThenReLU() {
    var rng = RNG(seed: 11)
    let x = rng.normalTensor([6, 5]), w = rng.normalTensor([4, 5]), b = rng.normalTensor([1, 4])
    func run(fused: Bool) -> (Tensor, [Tensor?]) {
        let tape = Tape()
        let v = [tape.leaf(x), tape.leaf(w), tape.leaf(b)]
        let y =
            fused
            ? tape.linear(v[0], weight: v[1], bias: v[2], relu: true)
            : tape.relu(tape.linear(v[0], weight: v[1], bias: v[2]))
        let g = tape.backward(tape.sum(tape.mul(y, y)))
        return (tape.value(y), v.map { g[$0] })
    }
    let (fused, separate) = (run(fused: true), run(fused: false))
    #expect(fused.0.data.map(\.bitPattern) == separate.0.data.map(\.bitPattern))
    for (a, b) in zip(fused.1, separate.1) { #expect(a?.data.map(\.bitPattern) == b?.data.map(\.bitPattern)) }
}
