import Engine

/// The sizes that define a GPT: vocabulary, depth, attention heads, width and context length.
public struct GPTConfig: Sendable, Equatable, Hashable {
    public var vocab: Int
    public var layers: Int
    public var heads: Int
    public var dim: Int
    public var context: Int

    public init(vocab: Int, layers: Int, heads: Int, dim: Int, context: Int) {
        self.vocab = vocab
        self.layers = layers
        self.heads = heads
        self.dim = dim
        self.context = context
    }

    /// Width of one attention head.
    public var headDim: Int { dim / heads }
}

/// GPT-2 (Radford et al. 2019) at any size: learned token and position embeddings, pre-norm transformer blocks
/// (`ln_1` → fused `c_attn` → causal self-attention → `c_proj`, then `ln_2` → `mlp.c_fc` → GELU → `mlp.c_proj`), a
/// final `ln_f`, and a language-model head tied to the token embedding.
///
/// Parameters carry Hugging Face's GPT-2 names and layouts, so a checkpoint maps one to one onto
/// `GPT2LMHeadModel`'s `state_dict`: projection weights are `[in, out]` (GPT-2's `Conv1D`), biases and norm
/// parameters are vectors, embeddings are `[rows, dim]`.
public struct GPT: Sendable, Equatable {
    public var config: GPTConfig
    /// The parameters in `parameterNames` order.
    public var parameters: [Tensor]

    /// The parameter names of a GPT with `layers` blocks, in the order `parameters` holds them.
    public static func parameterNames(layers: Int) -> [String] {
        var names = ["transformer.wte.weight", "transformer.wpe.weight"]
        for i in 0..<layers {
            names += blockParameterSuffixes.map { "transformer.h.\(i).\($0)" }
        }
        return names + ["transformer.ln_f.weight", "transformer.ln_f.bias"]
    }

    /// One block's parameters, in order.
    static let blockParameterSuffixes = [
        "ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight",
        "attn.c_proj.bias", "ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight",
        "mlp.c_proj.bias",
    ]

    /// The shape of each parameter, in `parameterNames` order.
    public static func parameterShapes(_ c: GPTConfig) -> [[Int]] {
        let d = c.dim
        let block: [[Int]] = [
            [d], [d], [d, 3 * d], [3 * d], [d, d], [d], [d], [d], [d, 4 * d], [4 * d], [4 * d, d], [d],
        ]
        return [[c.vocab, d], [c.context, d]] + Array(repeating: block, count: c.layers).flatMap { $0 } + [[d], [d]]
    }

    public var parameterNames: [String] { Self.parameterNames(layers: config.layers) }

    /// GPT-2's initialisation: every weight matrix and embedding N(0, 0.02), biases 0, norms (1, 0), and the two
    /// projections that write into the residual stream (`c_proj`) N(0, 0.02/√(2·layers)). Draws in parameter order.
    public init(config: GPTConfig, rng: inout RNG) {
        self.config = config
        let residualScale = 0.02 / Float(2 * config.layers).squareRoot()
        parameters = zip(Self.parameterNames(layers: config.layers), Self.parameterShapes(config)).map { name, shape in
            if name.hasSuffix("ln_1.weight") || name.hasSuffix("ln_2.weight") || name.hasSuffix("ln_f.weight") {
                return Tensor(shape: shape, data: [Float](repeating: 1, count: shape.reduce(1, *)))
            }
            if shape.count == 1 { return Tensor(zeros: shape) }
            let scale: Float = name.hasSuffix("c_proj.weight") ? residualScale : 0.02
            return rng.normalTensor(shape, scale: scale)
        }
    }

    /// A GPT from given parameters (shapes checked by `init(stateDict:)`, the route user data takes).
    public init(config: GPTConfig, parameters: [Tensor]) {
        self.config = config
        self.parameters = parameters
    }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Whether AdamW decays a parameter: matrices and embeddings yes, biases and norm parameters (vectors) no.
    public static func isDecayed(shape: [Int]) -> Bool { shape.count >= 2 }
}

// MARK: - Forward pass, loss and training step

extension GPT {
    /// The logits [batch·time, vocab] for `tokens` (batch rows of `time` ids, time ≤ context), recorded on `tape`
    /// with the parameters as `p` (in `parameterNames` order), so a backward pass reaches every parameter: the
    /// final hidden states (`hidden`) times wteᵀ, the head tied to the token embedding, so its gradient adds into
    /// wte's.
    public func forward(on tape: Tape, parameters p: [Var], tokens: [Int], batch: Int, time: Int) -> Var {
        tape.matmulTransposed(hidden(on: tape, parameters: p, tokens: tokens, batch: batch, time: time), p[0])
    }

    /// The final hidden states [batch·time, dim] (after `ln_f`) for `tokens`, recorded on `tape`: what the
    /// language-model head reads, and what a scalar head reads for a reward model or a PPO value head.
    ///
    /// x = wte[tokens] + wpe[positions]; per block x += c_proj(attention(c_attn(ln_1(x)))), then
    /// x += mlp.c_proj(GELU(mlp.c_fc(ln_2(x)))); the result is ln_f(x).
    public func hidden(on tape: Tape, parameters p: [Var], tokens: [Int], batch: Int, time: Int) -> Var {
        precondition(
            p.count == parameters.count && tokens.count == batch * time && time >= 1 && time <= config.context,
            "GPT.forward: \(tokens.count) tokens for batch \(batch), time \(time), context \(config.context)")
        let positions = (0..<(batch * time)).map { $0 % time }
        var x = tape.add(tape.embedding(p[0], ids: tokens), tape.embedding(p[1], ids: positions))  // [B·T, D]
        for layer in 0..<config.layers {
            let w = Array(p[(2 + 12 * layer)..<(14 + 12 * layer)])  // blockParameterSuffixes order
            let qkv = tape.affine(tape.layerNorm(x, weight: w[0], bias: w[1]), weight: w[2], bias: w[3])  // [B·T, 3D]
            let attended = tape.causalAttention(qkv, batch: batch, time: time, heads: config.heads)  // [B·T, D]
            x = tape.add(x, tape.affine(attended, weight: w[4], bias: w[5]))
            let hidden = tape.gelu(tape.affine(tape.layerNorm(x, weight: w[6], bias: w[7]), weight: w[8], bias: w[9]))
            x = tape.add(x, tape.affine(hidden, weight: w[10], bias: w[11]))  // [B·T, D]
        }
        return tape.layerNorm(x, weight: p[p.count - 2], bias: p[p.count - 1])
    }

    /// The mean cross-entropy of predicting `targets` from `tokens` (both batch·time ids), without gradients: a
    /// validation loss. Computed without a tape (`logits`), whose logits have the training forward's bits, so it is
    /// the loss `trainStep` would report for the same batch.
    public func loss(tokens: [Int], targets: [Int], batch: Int, time: Int) -> Float {
        Tape.crossEntropy(logits(tokens: tokens, batch: batch, time: time), targets: targets)
    }

    /// One training step as nanoGPT takes it: the loss of `inputs` → `targets` (batch·time ids each), its gradients,
    /// clipped to a global norm of `settings.clip`, then one AdamW update at learning rate `lr`, decaying only the
    /// parameters `isDecayed(shape:)` picks. Returns the loss before the update and the gradient norm before clipping.
    ///
    /// `optimizer` holds AdamW's moments for `parameters` (start from `Adam(shapes: GPT.parameterShapes(config))`).
    public mutating func trainStep(
        inputs: [Int], targets: [Int], batch: Int, time: Int, lr: Float, settings: AdamWSettings,
        optimizer: inout Adam
    ) -> (loss: Float, gradNorm: Float) {
        let tape = Tape()
        let p = parameters.map { tape.leaf($0) }
        let loss = tape.crossEntropy(
            forward(on: tape, parameters: p, tokens: inputs, batch: batch, time: time), targets: targets)
        let g = tape.backward(loss)
        var gradients = zip(p, parameters).map { v, t in g[v] ?? Tensor(zeros: t.shape) }
        let norm = clipGradientNorm(&gradients, maxNorm: settings.clip)
        optimizer.updateAdamW(
            &parameters, gradients: gradients, lr: lr, settings: settings,
            decayed: parameters.map { Self.isDecayed(shape: $0.shape) })
        return (tape.value(loss).data[0], norm)
    }
}
