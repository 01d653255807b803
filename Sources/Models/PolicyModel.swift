import Engine

/// The seed's policy model (Slide 2): maps a prompt vector to a response vector through Linear → ReLU → Linear.
///
/// Read as a stochastic policy, its output is the mean of a Gaussian over responses; KL between two such policies with
/// the same spread σ is ‖μ₁ − μ₂‖² / 2σ², which is how fine-tuning keeps it near a reference.
public struct PolicyModel: Sendable, Equatable {
    public var network: TwoLayerMLP
    /// Adam state, created by the first training step and saved with every checkpoint.
    public var optimizer: Adam?

    public init(input: Int, hidden: Int, output: Int, rng: inout RNG) {
        network = TwoLayerMLP(input: input, hidden: hidden, output: output, rng: &rng)
    }

    public init(network: TwoLayerMLP, optimizer: Adam?) {
        self.network = network
        self.optimizer = optimizer
    }

    public var input: Int { network.input }
    public var hidden: Int { network.hidden }
    public var output: Int { network.output }

    /// Responses for a batch of prompts: [batch, input] → [batch, output].
    public func callAsFunction(_ prompts: Tensor) -> Tensor { network(prompts) }
}

/// The seed's reward model (Slide 3): scores a response vector with Linear → ReLU → Linear(→1).
public struct RewardModel: Sendable, Equatable {
    public var network: TwoLayerMLP
    public var optimizer: Adam?

    public init(input: Int, hidden: Int, rng: inout RNG) {
        network = TwoLayerMLP(input: input, hidden: hidden, output: 1, rng: &rng)
    }

    public init(network: TwoLayerMLP, optimizer: Adam?) {
        self.network = network
        self.optimizer = optimizer
    }

    public var input: Int { network.input }
    public var hidden: Int { network.hidden }

    /// Scores for a batch of responses: [batch, input] → one score per row.
    public func scores(_ responses: Tensor) -> [Float] { network(responses).data }
}
