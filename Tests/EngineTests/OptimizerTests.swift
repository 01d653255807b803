import Testing

@testable import Engine

@Test func sgdStepsAgainstTheGradient() {
    var p = [Tensor(shape: [2], data: [1, -1])]
    SGD(learningRate: 0.5).step(&p, gradients: [Tensor(shape: [2], data: [2, 4])])
    #expect(p[0].data == [0, -3])
}

@Test func adamFirstStepMovesEachParameterByTheLearningRate() {
    // After one step the bias-corrected m̂/√v̂ is sign(g), so each entry moves by lr (up to ε).
    var adam = Adam(shapes: [[3]])
    var p = [Tensor(shape: [3], data: [0, 0, 0])]
    adam.update(&p, gradients: [Tensor(shape: [3], data: [0.5, -2, 1e-3])], lr: 0.1)
    #expect(adam.step == 1)
    for (v, expected) in zip(p[0].data, [-0.1, 0.1, -0.1] as [Float]) {
        #expect(abs(v - expected) < 1e-4)
    }
}

@Test func adamMinimisesAQuadratic() {
    // f(p) = Σ (p − 3)², gradient 2(p − 3).
    var adam = Adam(shapes: [[4]])
    var p = [Tensor(shape: [4], data: [0, 10, -5, 3])]
    for _ in 0..<2000 {
        let g = Tensor(shape: [4], data: p[0].data.map { 2 * ($0 - 3) })
        adam.update(&p, gradients: [g], lr: 0.05)
    }
    #expect(p[0].data.allSatisfy { abs($0 - 3) < 1e-2 })
}

@Test func adamStateRestoredContinuesBitwise() {
    var a = Adam(shapes: [[2]])
    var p = [Tensor(shape: [2], data: [1, 2])]
    let g = [Tensor(shape: [2], data: [0.3, -0.7])] as [Tensor?]
    a.update(&p, gradients: g, lr: 0.01)
    var restored = Adam(step: a.step, m: a.m, v: a.v)
    var q = p
    a.update(&p, gradients: g, lr: 0.01)
    restored.update(&q, gradients: g, lr: 0.01)
    #expect(p == q)
}
