import Engine
import Models

/// How good a reward model is on a set of preference pairs, measured three ways.
public struct RewardModelQuality: Sendable, Equatable {
    /// Fraction of pairs the model ranks the way the annotator did.
    public var accuracy: Double
    /// Fraction of pairs the model ranks the way the hidden gold reward does (the annotator's noise and bias removed).
    public var goldAgreement: Double
    /// Expected calibration error (10 equal-width confidence bins) of P(chosen ≻ rejected) = σ(r⁺ − r⁻):
    /// Σ_bins (n_b / N)·|accuracy_b − confidence_b|.
    public var calibrationError: Double
}

/// Accuracy, gold agreement and calibration error of `rm` on `data`.
public func assess(_ rm: RewardModel, on data: PreferenceDataset, task: VectorTask) throws -> RewardModelQuality {
    guard data.count > 0 else {
        throw AlignmentError.emptyDataset("assessing a reward model needs at least one preference pair")
    }
    try task.check(rewardModel: rm)
    try task.check(data)
    let (chosen, rejected) = data.batch(Array(0..<data.count))
    let margins = zip(rm.scores(chosen), rm.scores(rejected)).map { Double($0 - $1) }
    let goldMargins = data.rows.map {
        Double(task.gold(reading: $0.chosen[...]) - task.gold(reading: $0.rejected[...]))
    }
    let n = Double(data.count)
    let accuracy = Double(margins.filter { $0 > 0 }.count) / n
    let gold = Double(zip(margins, goldMargins).filter { ($0 > 0 && $1 > 0) || ($0 < 0 && $1 < 0) }.count) / n
    return RewardModelQuality(
        accuracy: accuracy, goldAgreement: gold, calibrationError: calibrationError(margins: margins))
}

/// Expected calibration error of Bradley–Terry predictions whose true outcome is always "chosen wins": each margin m
/// predicts the chosen response with probability σ(m); the model's verdict is the likelier side, with confidence
/// max(σ(m), 1 − σ(m)), and it is right when m > 0.
public func calibrationError(margins: [Double], bins: Int = 10) -> Double {
    guard !margins.isEmpty else { return 0 }
    var count = [Int](repeating: 0, count: bins)
    var confidence = [Double](repeating: 0, count: bins)
    var right = [Double](repeating: 0, count: bins)
    for m in margins {
        let p = Double(sigmoid(Float(m)))
        let c = max(p, 1 - p)  // in [0.5, 1]
        let b = min(Int((c - 0.5) * 2 * Double(bins)), bins - 1)
        count[b] += 1
        confidence[b] += c
        right[b] += m > 0 ? 1 : (m == 0 ? 0.5 : 0)
    }
    var ece = 0.0
    for b in 0..<bins where count[b] > 0 {
        ece += abs(right[b] - confidence[b]) / Double(margins.count)
    }
    return ece
}

/// Splits a dataset at random into a training part and a held-out part of `fraction` of the rows (at least one row each).
public func split(_ data: PreferenceDataset, heldOut fraction: Double, rng: inout RNG) throws -> (
    train: PreferenceDataset, heldOut: PreferenceDataset
) {
    guard fraction > 0, fraction < 1 else {
        throw AlignmentError.invalidArgument("held-out fraction must be between 0 and 1, got \(fraction)")
    }
    guard data.count >= 2 else {
        throw AlignmentError.emptyDataset("a held-out split needs at least 2 pairs, the dataset has \(data.count)")
    }
    let order = rng.permutation(data.count)
    let held = min(max(Int((Double(data.count) * fraction).rounded()), 1), data.count - 1)
    return (data.subset(Array(order[held...]).sorted()), data.subset(Array(order[..<held]).sorted()))
}

/// Fraction of rows whose chosen response has the higher gold reward: how often the annotator told the truth.
public func goldAgreement(_ data: PreferenceDataset, task: VectorTask) throws -> Double {
    guard data.count > 0 else { throw AlignmentError.emptyDataset("gold agreement needs at least one preference pair") }
    try task.check(data)
    let right = data.rows.filter { task.gold(reading: $0.chosen[...]) > task.gold(reading: $0.rejected[...]) }.count
    return Double(right) / Double(data.count)
}
