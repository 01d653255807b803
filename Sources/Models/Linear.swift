import Engine

/// A fully connected layer y = x·Wᵀ + b, with PyTorch's layout (`weight` is `[output, input]`) and PyTorch's default
/// initialisation (both W and b uniform in ±1/√input), so checkpoints read the same way in either framework.
public struct Linear: Sendable, Equatable {
    public var weight: Tensor  // [output, input]
    public var bias: Tensor  // [1, output]

    public init(input: Int, output: Int, rng: inout RNG) {
        let bound = 1 / Float(input).squareRoot()
        weight = Tensor(shape: [output, input], data: (0..<(input * output)).map { _ in rng.uniform(-bound, bound) })
        bias = Tensor(shape: [1, output], data: (0..<output).map { _ in rng.uniform(-bound, bound) })
    }

    public init(weight: Tensor, bias: Tensor) {
        self.weight = weight
        self.bias = bias
    }

    public var input: Int { weight.columns }
    public var output: Int { weight.rows }
}
