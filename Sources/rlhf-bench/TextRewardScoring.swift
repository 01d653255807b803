import Engine
import Foundation
import Models

extension Bench {
    /// The text reward model's share of P11: scoring 64 sequences of 64 tokens (a PPO iteration's batch) with the
    /// tape-free path, on the Shakespeare configuration. Ours alone: the PPO peer times the whole iteration.
    mutating func textRewardScoring() throws {
        guard wanted("P11", "RM") else { return }
        let (sequences, tokens) = (64, 64)
        say("RM text reward model scoring, \(sequences) × \(tokens) tokens…")
        let ours = try Workloads.textRewardScoring(sequences: sequences, tokens: tokens, repeats: repeats)
        say("RM: \(Report.number(ours)) sequences/s, CPU \(Self.cpuModel)")
        figures.append(
            Figure(
                workload: "RM text reward model scoring \(sequences) × \(tokens) tokens (part of P11)", ours: ours,
                unit: "sequences/s", peer: nil, target: .none))
    }
}

extension Workloads {
    /// Sequences scored per second (median of `repeats` runs after one warm-up) by a text reward model on a
    /// GPT-2-initialised trunk of vocab 65, 4 layers, 4 heads, dim 128, context 64, all sequences in one batch.
    static func textRewardScoring(sequences: Int, tokens: Int, repeats: Int) throws -> Double {
        var rng = RNG(seed: 1)
        let lm = GPT(config: GPTConfig(vocab: 65, layers: 4, heads: 4, dim: 128, context: 64), rng: &rng)
        let rm = TextRewardModel(trunk: lm, rng: &rng)
        let ids = (0..<(sequences * tokens)).map { _ in rng.int(below: 65) }
        func score() throws {
            let s = rm.scores(tokens: ids, batch: sequences, time: tokens)
            guard s.count == sequences, s.allSatisfy(\.isFinite) else {
                throw BenchError.failed("RM: scores returned \(s.count) values")
            }
        }
        try score()
        return Double(sequences) / (try medianSeconds(repeats, score))
    }
}
