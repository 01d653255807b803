import Engine

/// Linear → ReLU → Linear: the network both of the seed's models use (Slides 2 and 3).
public struct TwoLayerMLP: Sendable, Equatable {
    public var layer1: Linear
    public var layer2: Linear

    /// Names of the parameters in `parameters` order, as PyTorch's `state_dict` would name them.
    public static let parameterNames = ["layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias"]

    public init(input: Int, hidden: Int, output: Int, rng: inout RNG) {
        layer1 = Linear(input: input, output: hidden, rng: &rng)
        layer2 = Linear(input: hidden, output: output, rng: &rng)
    }

    public init(layer1: Linear, layer2: Linear) {
        self.layer1 = layer1
        self.layer2 = layer2
    }

    public var input: Int { layer1.input }
    public var hidden: Int { layer1.output }
    public var output: Int { layer2.output }

    public var parameters: [Tensor] {
        get { [layer1.weight, layer1.bias, layer2.weight, layer2.bias] }
        set {
            layer1.weight = newValue[0]
            layer1.bias = newValue[1]
            layer2.weight = newValue[2]
            layer2.bias = newValue[3]
        }
    }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Inference: x[batch, input] → [batch, output].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.linear(weight: layer1.weight, bias: layer1.bias, relu: true)  // [batch, hidden]
            .linear(weight: layer2.weight, bias: layer2.bias)  // [batch, output]
    }

    /// Records the forward pass on `tape`; returns the output and the parameter leaves (in `parameters` order).
    public func forward(_ x: Var, on tape: Tape) -> (output: Var, parameters: [Var]) {
        let p = parameters.map { tape.leaf($0) }
        return (forward(x, parameters: p, on: tape), p)
    }

    /// The forward pass with parameters already on the tape (e.g. a frozen reference shares none with the trainee).
    public func forward(_ x: Var, parameters p: [Var], on tape: Tape) -> Var {
        let h = tape.linear(x, weight: p[0], bias: p[1], relu: true)  // [batch, hidden]
        return tape.linear(h, weight: p[2], bias: p[3])  // [batch, output]
    }
}
