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

/// AdamW's settings and the gradient clipping that goes with it, as nanoGPT trains: `torch.optim.AdamW` (decoupled
/// weight decay, Loshchilov & Hutter 2019) after `torch.nn.utils.clip_grad_norm_`. The defaults are nanoGPT's
/// `shakespeare_char`: β₂ 0.99, weight decay 0.1, clip 1.0.
public struct AdamWSettings: Sendable, Equatable {
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// The fraction of lr by which a decayed parameter shrinks each step (p ← p − lr·weightDecay·p).
    public var weightDecay: Float
    /// The largest global L2 norm the gradients may have; 0 turns clipping off.
    public var clip: Float

    public init(
        beta1: Float = 0.9, beta2: Float = 0.99, epsilon: Float = 1e-8, weightDecay: Float = 0.1, clip: Float = 1
    ) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.clip = clip
    }
}

extension Adam {
    /// One AdamW step, with `torch.optim.AdamW`'s arithmetic: each parameter whose `decayed` entry is true first
    /// shrinks by the factor 1 − lr·weightDecay, then every parameter takes Adam's bias-corrected step with
    /// `settings`' betas and ε (this struct's own betas are not used). The moments live in `m` and `v` as for Adam,
    /// so the same saved state resumes either.
    public mutating func updateAdamW(
        _ parameters: inout [Tensor], gradients: [Tensor], lr: Float, settings s: AdamWSettings, decayed: [Bool]
    ) {
        precondition(gradients.count == parameters.count && decayed.count == parameters.count, "updateAdamW: counts")
        step += 1
        // The scalars are formed in double precision, as Python forms them for PyTorch, then rounded once.
        let (lr64, t) = (Double(lr), Double(step))
        let stepSize = Float(lr64 / (1 - _pow(Double(s.beta1), t)))
        let bc2Sqrt = Float((1 - _pow(Double(s.beta2), t)).squareRoot())
        let decay = Float(1 - lr64 * Double(s.weightDecay))
        let (oneMinusBeta1, oneMinusBeta2) = (Float(1 - Double(s.beta1)), Float(1 - Double(s.beta2)))
        for i in parameters.indices {
            let g = gradients[i]
            precondition(g.count == parameters[i].count, "updateAdamW: gradient \(i) has shape \(g.shape)")
            m[i].data.withUnsafeMutableBufferPointer { pm in
                v[i].data.withUnsafeMutableBufferPointer { pv in
                    parameters[i].data.withUnsafeMutableBufferPointer { pp in
                        rlhf_adamw(
                            pp.count, pp.baseAddress, pm.baseAddress, pv.baseAddress, g.data, oneMinusBeta1,
                            s.beta2, oneMinusBeta2, decayed[i] ? decay : 1, stepSize, bc2Sqrt, s.epsilon)
                    }
                }
            }
        }
    }
}

/// The global L2 norm of `gradients` (all tensors as one vector, each tensor's squares summed in a fixed order in
/// double precision), and, when it exceeds `maxNorm` > 0, every gradient scaled by maxNorm / (norm + 10⁻⁶), as
/// `torch.nn.utils.clip_grad_norm_` does. Returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ gradients: inout [Tensor], maxNorm: Float) -> Float {
    var squares: Double = 0
    for g in gradients { squares += rlhf_sum_squares(g.count, g.data) }
    let norm = Float(squares.squareRoot())
    let coefficient = maxNorm / (norm + 1e-6)
    if maxNorm > 0 && coefficient < 1 {
        for i in gradients.indices {
            gradients[i].data.withUnsafeMutableBufferPointer { rlhf_scale($0.count, $0.baseAddress, coefficient) }
        }
    }
    return norm
}

/// nanoGPT's learning-rate schedule (`get_lr`): linear warmup to `maxRate` over `warmup` iterations, cosine decay to
/// `minRate` at `decayIterations`, then `minRate`.
public struct LearningRateSchedule: Sendable, Equatable {
    public var maxRate: Float
    public var minRate: Float
    public var warmup: Int
    public var decayIterations: Int

    public init(maxRate: Float, minRate: Float, warmup: Int, decayIterations: Int) {
        self.maxRate = maxRate
        self.minRate = minRate
        self.warmup = warmup
        self.decayIterations = decayIterations
    }

    /// The rate for iteration `it` (0-based), computed in double precision as Python does, then rounded.
    public func rate(at it: Int) -> Float {
        let (lr, minLR) = (Double(maxRate), Double(minRate))
        if it < warmup { return Float(lr * Double(it + 1) / Double(warmup + 1)) }
        if it > decayIterations || decayIterations <= warmup { return minRate }
        let ratio = Double(it - warmup) / Double(decayIterations - warmup)
        let coefficient = 0.5 * (1 + _cos(Double.pi * ratio))
        return Float(minLR + coefficient * (lr - minLR))
    }
}
