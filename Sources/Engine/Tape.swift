/// A handle to a value recorded on a `Tape`.
public struct Var: Hashable, Sendable {
    public let id: Int
}

/// Reverse-mode automatic differentiation over a closed set of primitive ops.
///
/// The op set is `Primitive`. Each op is one function in `Tape+Primitives.swift` that computes its value and records,
/// right beside it, the rule sending the output's gradient back to its operands (as micrograd writes them), so a new
/// op is one function and one `Primitive` case. Models and losses are written in these primitives and have no
/// gradient rules of their own.
///
/// ```swift
/// let tape = Tape()
/// let w = tape.leaf(weights)
/// let loss = tape.mean(tape.relu(tape.matmul(tape.leaf(x), w)))
/// let grads = tape.backward(loss)
/// grads[w]  // ∂loss/∂w
/// ```
public final class Tape {
    /// Adds the shares of the gradient `g` of one recorded value to its operands' gradients. A rule captures the
    /// operands and values it needs, never the tape.
    typealias GradientRule = (_ g: Tensor, _ grads: inout Gradients.Accumulator) -> Void

    /// The values in the order they were computed: operands come first, so the tape is in topological order.
    private(set) var values: [Tensor] = []
    /// The primitive that computed each value; nil for leaves and constants.
    private(set) var primitives: [Primitive?] = []
    /// Whether a gradient must flow into each value: false for constants and for everything computed only from
    /// constants, so `backward` skips that work (the inputs of a batch, a frozen model's weights).
    private(set) var needsGrad: [Bool] = []
    /// Each value's gradient rule; nil where no gradient flows (leaves, and values that do not need one).
    private var rules: [GradientRule?] = []
    /// wᵀ of each weight a `linear` has read, by the weight's id: a weight applied to several inputs is transposed
    /// once.
    var transposedWeights: [Int: [Float]] = [:]

    public init() {}

    public var count: Int { values.count }

    public func value(_ v: Var) -> Tensor { values[v.id] }

    /// The primitive that computed `v` (nil for a leaf or a constant).
    func primitive(of v: Var) -> Primitive? { primitives[v.id] }

    /// A value gradients are wanted for (a trainable parameter).
    public func leaf(_ t: Tensor) -> Var { append(t, primitive: nil, needsGrad: true, rule: nil) }

    /// A value no gradient is wanted for (inputs, targets, frozen weights): `backward` leaves it and everything
    /// computed only from constants alone.
    public func constant(_ t: Tensor) -> Var { append(t, primitive: nil, needsGrad: false, rule: nil) }

    /// Records `value`, which `primitive` computed from `operands`, with the rule for its gradient.
    func record(
        _ primitive: Primitive, _ value: Tensor, from operands: Var...,
        gradient rule: @escaping GradientRule
    ) -> Var {
        let needs = operands.contains { needsGrad[$0.id] }
        return append(value, primitive: primitive, needsGrad: needs, rule: needs ? rule : nil)
    }

    private func append(_ value: Tensor, primitive: Primitive?, needsGrad needs: Bool, rule: GradientRule?) -> Var {
        values.append(value)
        primitives.append(primitive)
        needsGrad.append(needs)
        rules.append(rule)
        return Var(id: values.count - 1)
    }

    /// Gradients of the scalar `root` with respect to every recorded value (nil where no path leads to the root).
    public func backward(_ root: Var) -> Gradients {
        precondition(values[root.id].count == 1, "backward: root must be a scalar, got \(values[root.id].shape)")
        var grads = Gradients.Accumulator(needsGrad: needsGrad)
        grads.storage[root.id] = Tensor(shape: values[root.id].shape, data: [1])
        for id in stride(from: root.id, through: 0, by: -1) {
            guard let rule = rules[id], let g = grads.storage[id] else { continue }
            rule(g, &grads)
        }
        return Gradients(storage: grads.storage)
    }
}
