import Engine

/// A model's saved form: the numbers that built it (`config`) and its named tensors, optimiser state included.
/// A `StateDict` alone rebuilds the model.
public struct StateDict: Sendable, Equatable {
    public var kind: String
    /// Architecture and optimiser counters, in a fixed key order.
    public var config: [(key: String, value: Int)]
    public var tensors: [(name: String, tensor: Tensor)]

    public init(kind: String, config: [(key: String, value: Int)], tensors: [(name: String, tensor: Tensor)]) {
        self.kind = kind
        self.config = config
        self.tensors = tensors
    }

    public static func == (a: StateDict, b: StateDict) -> Bool {
        a.kind == b.kind && a.config.elementsEqual(b.config, by: { $0 == $1 })
            && a.tensors.elementsEqual(b.tensors, by: { $0.name == $1.name && $0.tensor == $1.tensor })
    }

    public func configValue(_ key: String) -> Int? { config.first { $0.key == key }?.value }
    public func tensor(_ name: String) -> Tensor? { tensors.first { $0.name == name }?.tensor }
}

/// Why a state dict could not rebuild a model.
public enum StateDictError: Error, CustomStringConvertible, Equatable {
    case wrongKind(expected: String, got: String)
    case missingConfig(String)
    case missingTensor(String)
    case wrongShape(name: String, expected: [Int], got: [Int])

    public var description: String {
        switch self {
        case let .wrongKind(expected, got): "checkpoint holds a \(got) model, not a \(expected) model"
        case let .missingConfig(key): "checkpoint config lacks '\(key)'"
        case let .missingTensor(name): "checkpoint lacks tensor '\(name)'"
        case let .wrongShape(name, expected, got): "tensor '\(name)' has shape \(got), expected \(expected)"
        }
    }
}

extension TwoLayerMLP {
    public func stateDict(kind: String, optimizer: Adam?) -> StateDict {
        var config: [(key: String, value: Int)] = [("input", input), ("hidden", hidden), ("output", output)]
        var tensors = zip(Self.parameterNames, parameters).map { (name: $0, tensor: $1) }
        if let optimizer {
            config.append(("adam.step", optimizer.step))
            for (i, name) in Self.parameterNames.enumerated() {
                tensors.append(("adam.m." + name, optimizer.m[i]))
                tensors.append(("adam.v." + name, optimizer.v[i]))
            }
        }
        return StateDict(kind: kind, config: config, tensors: tensors)
    }

    public static func load(_ dict: StateDict, kind: String) throws -> (TwoLayerMLP, Adam?) {
        guard dict.kind == kind else { throw StateDictError.wrongKind(expected: kind, got: dict.kind) }
        func config(_ key: String) throws -> Int {
            guard let v = dict.configValue(key) else { throw StateDictError.missingConfig(key) }
            return v
        }
        let (input, hidden, output) = (try config("input"), try config("hidden"), try config("output"))
        let shapes = [[hidden, input], [1, hidden], [output, hidden], [1, output]]
        func tensor(_ name: String, _ shape: [Int]) throws -> Tensor {
            guard let t = dict.tensor(name) else { throw StateDictError.missingTensor(name) }
            guard t.shape == shape else { throw StateDictError.wrongShape(name: name, expected: shape, got: t.shape) }
            return t
        }
        let p = try zip(parameterNames, shapes).map { try tensor($0, $1) }
        let network = TwoLayerMLP(layer1: Linear(weight: p[0], bias: p[1]), layer2: Linear(weight: p[2], bias: p[3]))
        guard let step = dict.configValue("adam.step") else { return (network, nil) }
        let m = try zip(parameterNames, shapes).map { try tensor("adam.m." + $0, $1) }
        let v = try zip(parameterNames, shapes).map { try tensor("adam.v." + $0, $1) }
        return (network, Adam(step: step, m: m, v: v))
    }
}

extension PolicyModel {
    public var stateDict: StateDict { network.stateDict(kind: "policy", optimizer: optimizer) }
    public init(stateDict: StateDict) throws {
        let (network, optimizer) = try TwoLayerMLP.load(stateDict, kind: "policy")
        self.init(network: network, optimizer: optimizer)
    }
}

extension RewardModel {
    public var stateDict: StateDict { network.stateDict(kind: "reward", optimizer: optimizer) }
    public init(stateDict: StateDict) throws {
        let (network, optimizer) = try TwoLayerMLP.load(stateDict, kind: "reward")
        guard network.output == 1 else {
            throw StateDictError.wrongShape(
                name: "layer2.weight", expected: [1, network.hidden], got: network.layer2.weight.shape)
        }
        self.init(network: network, optimizer: optimizer)
    }
}

extension GPT {
    /// The checkpoint kind of a GPT language model.
    public static let stateDictKind = "gpt"

    /// The saved form: sizes as config, the parameters under their GPT-2 names, the tokenizer's vocabulary as the
    /// tensor `tokenizer.scalars` (Unicode scalar values, all below 2²⁴ and so exact in Float32), and AdamW's state.
    public func stateDict(tokenizer: CharTokenizer, optimizer: Adam?) -> StateDict {
        let c = config
        var entries: [(key: String, value: Int)] = [
            ("vocab", c.vocab), ("layers", c.layers), ("heads", c.heads), ("dim", c.dim), ("context", c.context),
        ]
        var tensors = zip(parameterNames, parameters).map { (name: $0, tensor: $1) }
        tensors.append(
            ("tokenizer.scalars", Tensor(shape: [tokenizer.count], data: tokenizer.vocabulary.map { Float($0.value) })))
        if let optimizer {
            entries.append(("adam.step", optimizer.step))
            for (i, name) in parameterNames.enumerated() {
                tensors.append(("adam.m." + name, optimizer.m[i]))
                tensors.append(("adam.v." + name, optimizer.v[i]))
            }
        }
        return StateDict(kind: Self.stateDictKind, config: entries, tensors: tensors)
    }

    /// Rebuilds a GPT, its tokenizer and its optimiser state from a checkpoint, checking every name and shape.
    public static func load(_ dict: StateDict) throws -> (GPT, CharTokenizer, Adam?) {
        guard dict.kind == stateDictKind else {
            throw StateDictError.wrongKind(expected: stateDictKind, got: dict.kind)
        }
        func config(_ key: String) throws -> Int {
            guard let v = dict.configValue(key), v > 0 else { throw StateDictError.missingConfig(key) }
            return v
        }
        let c = GPTConfig(
            vocab: try config("vocab"), layers: try config("layers"), heads: try config("heads"),
            dim: try config("dim"), context: try config("context"))
        guard c.dim % c.heads == 0 else { throw StateDictError.missingConfig("heads (must divide dim \(c.dim))") }
        func tensor(_ name: String, _ shape: [Int]) throws -> Tensor {
            guard let t = dict.tensor(name) else { throw StateDictError.missingTensor(name) }
            guard t.shape == shape else { throw StateDictError.wrongShape(name: name, expected: shape, got: t.shape) }
            return t
        }
        let names = parameterNames(layers: c.layers)
        let shapes = parameterShapes(c)
        let model = GPT(config: c, parameters: try zip(names, shapes).map { try tensor($0, $1) })
        let scalars = try tensor("tokenizer.scalars", [c.vocab]).data.map { value -> Unicode.Scalar in
            guard value >= 0, value < 0x11_0000, value == value.rounded(), let s = Unicode.Scalar(UInt32(value)) else {
                throw StateDictError.missingTensor("tokenizer.scalars (holds \(value), not a Unicode scalar)")
            }
            return s
        }
        let tokenizer = try CharTokenizer(vocabulary: scalars)
        guard let step = dict.configValue("adam.step") else { return (model, tokenizer, nil) }
        let m = try zip(names, shapes).map { try tensor("adam.m." + $0, $1) }
        let v = try zip(names, shapes).map { try tensor("adam.v." + $0, $1) }
        return (model, tokenizer, Adam(step: step, m: m, v: v))
    }
}
