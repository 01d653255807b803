import Engine
import Models

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A stochastic policy over a task's fixed candidate responses: an MLP maps the prompt to one logit per candidate and
/// π(k | x) = softmax(logits)ₖ. Unlike the deterministic `PolicyModel`, it has real probabilities, so KL to a reference,
/// entropy, likelihood ratios (PPO) and log-likelihoods of preferred responses (DPO) are exact.
public struct SamplingPolicy: Sendable, Equatable {
    public var network: TwoLayerMLP
    public var optimizer: Adam?

    public init(input: Int, hidden: Int, candidates: Int, rng: inout RNG) {
        network = TwoLayerMLP(input: input, hidden: hidden, output: candidates, rng: &rng)
    }

    public init(network: TwoLayerMLP, optimizer: Adam?) {
        self.network = network
        self.optimizer = optimizer
    }

    public var input: Int { network.input }
    public var hidden: Int { network.hidden }
    public var candidates: Int { network.output }

    /// log π(· | x) for a batch of prompts: [n, input] → [n, candidates].
    public func logProbabilities(_ prompts: Tensor) -> Tensor {
        let tape = Tape()
        return tape.value(tape.logSoftmax(tape.constant(network(prompts))))
    }

    /// Records log π(· | x) on a tape with the parameters `p` already on it.
    func logProbabilities(_ x: Var, parameters p: [Var], on tape: Tape) -> Var {
        tape.logSoftmax(network.forward(x, parameters: p, on: tape))  // [n, candidates]
    }

    /// Draws one candidate index per row of `logProbabilities` ([n, candidates]).
    static func sample(_ logProbabilities: Tensor, row: Int, rng: inout RNG) -> Int {
        let k = logProbabilities.columns
        var u = Float(rng.uniform())
        for j in 0..<k {
            u -= expf(logProbabilities.data[row * k + j])
            if u < 0 { return j }
        }
        return k - 1
    }

    public var stateDict: StateDict { network.stateDict(kind: "sampling_policy", optimizer: optimizer) }

    public init(stateDict: StateDict) throws {
        let (network, optimizer) = try TwoLayerMLP.load(stateDict, kind: "sampling_policy")
        self.init(network: network, optimizer: optimizer)
    }
}

/// Exact per-prompt statistics of a sampling policy against a reference, averaged over the rows of `logp`.
struct PolicyStatistics {
    var kl: Double
    var entropy: Double

    init(logp: Tensor, reference: Tensor) {
        let k = logp.columns
        var kl = 0.0, entropy = 0.0
        for i in 0..<logp.rows {
            for j in 0..<k {
                let lp = Double(logp.data[i * k + j])
                let p = exp(lp)
                kl += p * (lp - Double(reference.data[i * k + j]))
                entropy -= p * lp
            }
        }
        self.kl = kl / Double(logp.rows)
        self.entropy = entropy / Double(logp.rows)
    }
}

/// E_π[v] per prompt, averaged: Σₖ π(k | xᵢ)·v[i, k] over the rows of `logp` (`v` has logp's shape).
func expectation(_ logp: Tensor, of v: Tensor) -> Double {
    let k = logp.columns
    var total = 0.0
    for i in 0..<logp.rows {
        for j in 0..<k { total += exp(Double(logp.data[i * k + j])) * Double(v.data[i * k + j]) }
    }
    return total / Double(logp.rows)
}
