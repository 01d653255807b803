import Engine

/// A scalar head on a GPT's final hidden states: TRL's `AutoModelForCausalLMWithValueHead` value head, one linear map
/// dim → 1 whose weight [1, dim] and bias [1] carry TRL's names (`v_head.summary.weight`, `v_head.summary.bias`), so a
/// checkpoint's head loads into TRL as it is. PPO reads it as V(s_t), the value of the prefix up to token t.
///
/// ```swift
/// var rng = RNG(seed: 1)
/// let head = ValueHead(dim: 128, rng: &rng)
/// let v = head.values(on: tape, weight: w, bias: b, hidden: h)  // [rows, 1]
/// ```
///
/// TRL's head also applies dropout (p = 0.1) before the map; this one has none, so a forward is deterministic and the
/// old and new values of a PPO batch agree exactly before the first update.
public struct ValueHead: Sendable, Equatable {
    /// [1, dim], `nn.Linear`'s [out, in] layout.
    public var weight: Tensor
    /// [1].
    public var bias: Tensor

    /// The names of the two tensors in a checkpoint, in `parameters` order.
    public static let parameterNames = ["v_head.summary.weight", "v_head.summary.bias"]

    public init(weight: Tensor, bias: Tensor) {
        self.weight = weight
        self.bias = bias
    }

    /// `nn.Linear(dim, 1)`'s default initialisation: weight and bias uniform in ±1/√dim, the weight's dim draws first.
    public init(dim: Int, rng: inout RNG) {
        let bound = 1 / Float(dim).squareRoot()
        weight = Tensor(shape: [1, dim], data: (0..<dim).map { _ in rng.uniform(-bound, bound) })
        bias = Tensor(shape: [1], data: [rng.uniform(-bound, bound)])
    }

    public var dim: Int { weight.count }
    public var parameters: [Tensor] {
        get { [weight, bias] }
        set {
            weight = newValue[0]
            bias = newValue[1]
        }
    }

    /// The weight as the tape's `affine` reads it, [dim, 1]: the same numbers as [1, dim], so gradients with respect
    /// to it are the weight's gradients in the same order.
    public var columnWeight: Tensor { Tensor(shape: [dim, 1], data: weight.data) }

    /// V = hidden · weightᵀ + bias, [rows, 1], with `weight` and `bias` the head's tensors on `tape` (`weight` as
    /// `columnWeight`).
    public static func values(on tape: Tape, weight: Var, bias: Var, hidden: Var) -> Var {
        tape.affine(hidden, weight: weight, bias: bias)
    }
}

extension ValueHead {
    /// Appends the head's tensors to a policy's checkpoint under TRL's names. A GPT without a head writes none, so its
    /// checkpoint is the plain language model's, bit for bit.
    public func append(to dict: inout StateDict) {
        dict.tensors += zip(Self.parameterNames, parameters).map { (name: $0, tensor: $1) }
    }

    /// The head stored in a policy's checkpoint, nil when it holds none; a head of the wrong width is an error.
    public static func load(_ dict: StateDict, dim: Int) throws -> ValueHead? {
        guard let weight = dict.tensor(parameterNames[0]) else { return nil }
        guard weight.shape == [1, dim] else {
            throw StateDictError.wrongShape(name: parameterNames[0], expected: [1, dim], got: weight.shape)
        }
        guard let bias = dict.tensor(parameterNames[1]) else { throw StateDictError.missingTensor(parameterNames[1]) }
        guard bias.shape == [1] else {
            throw StateDictError.wrongShape(name: parameterNames[1], expected: [1], got: bias.shape)
        }
        return ValueHead(weight: weight, bias: bias)
    }
}
