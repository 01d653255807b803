import Engine
import Models

/// Stops a training loop the moment its loss or one of its model's tensors stops being a finite number, naming the
/// tensor and the step, so a blown-up model (too large a learning rate, say) is never handed back or committed:
/// `finetune(): policy layer2.weight became NaN at step 37; lower lr?`.
struct FiniteGuard {
    /// The built-in, as the user calls it (`finetune`).
    var function: String
    /// The model being trained, as the user knows it (`policy`, `rm`).
    var model: String
    /// What one iteration of the loop is called in messages (`step`, `epoch`).
    var unit = "step"

    func check(loss: Double, at step: Int) throws {
        guard !loss.isFinite else { return }
        throw AlignmentError.nonFinite("\(function)(): the loss became \(Self.name(loss)) at \(unit) \(step)")
    }

    /// Checks the network's weights and biases.
    func check(_ network: TwoLayerMLP, at step: Int) throws {
        for (name, tensor) in zip(TwoLayerMLP.parameterNames, network.parameters) {
            try check(tensor, named: name, at: step)
        }
    }

    /// Checks the optimiser's moment estimates (its second moment can overflow while the weights stay finite).
    func check(_ optimizer: Adam, at step: Int) throws {
        for (i, name) in TwoLayerMLP.parameterNames.enumerated() where i < optimizer.m.count && i < optimizer.v.count {
            try check(optimizer.m[i], named: "adam.m." + name, at: step)
            try check(optimizer.v[i], named: "adam.v." + name, at: step)
        }
    }

    func check(_ tensor: Tensor, named name: String, at step: Int) throws {
        guard let bad = tensor.firstNonFinite else { return }
        throw AlignmentError.nonFinite(
            "\(function)(): \(model) \(name) became \(Self.name(Double(bad))) at \(unit) \(step); lower lr?")
    }

    private static func name(_ value: Double) -> String { value.isNaN ? "NaN" : value < 0 ? "-inf" : "inf" }
}

extension Tensor {
    /// The first NaN or infinite value, nil when every value is finite. Scans without branching per value, so the
    /// loop vectorises and a check per training step costs little next to the step itself.
    var firstNonFinite: Float? {
        let exponent: UInt32 = 0x7f80_0000
        let any = data.withUnsafeBufferPointer { values in
            var found: UInt32 = 0
            for value in values { found |= (value.bitPattern & exponent) == exponent ? 1 : 0 }
            return found != 0
        }
        return any ? data.first { !$0.isFinite } : nil
    }
}
