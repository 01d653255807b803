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
