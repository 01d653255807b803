import CKernels

/// Stochastic gradient descent: p ← p − lr·g.
public struct SGD: Sendable, Equatable {
    public var learningRate: Float
    public init(learningRate: Float) { self.learningRate = learningRate }

    public func step(_ parameters: inout [Tensor], gradients: [Tensor?]) {
        for (i, g) in gradients.enumerated() {
            guard let g else { continue }
            for j in 0..<g.count { parameters[i].data[j] -= learningRate * g.data[j] }
        }
    }
}

/// Adam (Kingma & Ba, 2015). Its moments and step count are part of the model's saved state, so training resumed from
/// a checkpoint continues bitwise as if it had never stopped.
public struct Adam: Sendable, Equatable {
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    /// Number of updates applied so far.
    public var step: Int = 0
    /// First and second moment estimates, one per parameter, in the model's parameter order.
    public var m: [Tensor]
    public var v: [Tensor]

    /// Fresh state for parameters of the given shapes.
    public init(shapes: [[Int]]) {
        m = shapes.map { Tensor(zeros: $0) }
        v = shapes.map { Tensor(zeros: $0) }
    }

    public init(step: Int, m: [Tensor], v: [Tensor]) {
        self.step = step
        self.m = m
        self.v = v
    }

    /// One update with learning rate `lr`; parameters without a gradient are left alone.
    public mutating func update(_ parameters: inout [Tensor], gradients: [Tensor?], lr: Float) {
        step += 1
        let c1 = 1 - pow(beta1, Float(step))
        let c2 = 1 - pow(beta2, Float(step))
        for (i, g) in gradients.enumerated() {
            guard let g else { continue }
            g.data.withUnsafeBufferPointer { pg in
                m[i].data.withUnsafeMutableBufferPointer { pm in
                    v[i].data.withUnsafeMutableBufferPointer { pv in
                        parameters[i].data.withUnsafeMutableBufferPointer { pp in
                            guard let p = pp.baseAddress, let m = pm.baseAddress, let v = pv.baseAddress,
                                let g = pg.baseAddress
                            else { return }
                            // p −= lr·(m/c1) / (√(v/c2) + ε), element by element (see rlhf_adam).
                            rlhf_adam(pg.count, p, m, v, g, beta1, beta2, c1, c2, lr, epsilon)
                        }
                    }
                }
            }
        }
    }
}

@inline(__always) private func pow(_ x: Float, _ n: Float) -> Float { Float(_pow(Double(x), Double(n))) }
