import Alignment
import Engine
import Foundation
import Models
import Sentiment

extension Bench {
    /// P11: one PPO iteration on text at the Shakespeare model size — 64 continuations of 32 tokens after 32-token
    /// prompts, a reward model scoring them, 4 epochs of 16-sequence minibatch updates of policy and value head —
    /// beside the PyTorch peer doing the same step in the same run.
    mutating func textPolicyOptimization() throws {
        guard wanted("P11") else { return }
        say("P11 one PPO iteration on text, 64 × 32 tokens, 4 epochs…")
        let iterations = quick ? 2 : 3
        let ours = try Workloads.textPPOIteration(repeats: iterations)
        // The peer takes a positive thread count: all cores (our kernels use them too), then one.
        for threads in Set([ProcessInfo.processInfo.activeProcessorCount, 1]).sorted(by: >) {
            let peer = Processes.peer("ppo_text_torch.py", ["\(iterations)", "\(threads)"])
            let theirs = peer?["seconds_per_iteration"]
            let used = peer?["threads"].map { " on \(Int($0)) thread\($0 == 1 ? "" : "s")" } ?? ""
            say(
                "P11: \(Report.number(ours)) s, PyTorch \(theirs.map(Report.number) ?? "absent")\(used), "
                    + "\(theirs.map { String(format: "%.2f×", $0 / ours) } ?? "no peer"), CPU \(Self.cpuModel)")
            // Seconds per iteration: lower is better, so the peer's time over ours is the speed-up.
            figures.append(
                Figure(
                    workload: "P11 PPO iteration, 64 × 32 tokens, 4 epochs (vs PyTorch\(used))", ours: 1 / ours,
                    unit: "iterations/s", peer: theirs.map { ("PyTorch", 1 / $0) }, target: .ratioAtLeast(3)))
        }
    }
}

/// The bench's stand-in for VADER: it only has to cost nothing next to the step.
private struct Silent: SentimentScorer {
    var name: String { "none" }
    func compound(_ text: String) -> Double { 0 }
}

extension Workloads {
    /// Seconds for one `ppo` step (median of `repeats` after one warm-up) on tinyshakespeare prompts: a GPT-2
    /// initialised policy of vocab 65, 4 layers, 4 heads, dim 128, context 64, batch 64, minibatch 16, 4 epochs; the
    /// reward model a second GPT of that size read at each sequence's last token through a scalar head (what a
    /// `TextRewardModel` computes).
    static func textPPOIteration(repeats: Int) throws -> Double {
        let text = try String(contentsOfFile: "data/tinyshakespeare.txt", encoding: .utf8)
        let corpus = try Corpus(text: text, split: 0.9)
        var rng = RNG(seed: 1)
        let task = try TextTask(
            corpus: corpus, tokenizer: corpus.tokenizer, promptLength: 32, continuation: 32, count: 256, testCount: 16,
            objective: .positive, scorer: Silent(), rng: &rng)
        let config = GPTConfig(vocab: corpus.tokenizer.count, layers: 4, heads: 4, dim: 128, context: 64)
        var policy = GPT(config: config, rng: &rng)
        let rewardTrunk = GPT(config: config, rng: &rng)
        let rewardHead = ValueHead(dim: config.dim, rng: &rng)
        let reward: ([[Int]]) -> [Double] = { sequences in
            let tape = Tape()
            let time = sequences[0].count
            let p = rewardTrunk.parameters.map { tape.constant($0) }
            let h = rewardTrunk.hidden(
                on: tape, parameters: p, tokens: sequences.flatMap { $0 }, batch: sequences.count, time: time)
            let last = tape.embedding(h, ids: sequences.indices.map { $0 * time + time - 1 })
            let scores = ValueHead.values(
                on: tape, weight: tape.constant(rewardHead.columnWeight), bias: tape.constant(rewardHead.bias),
                hidden: last)
            return tape.value(scores).data.map(Double.init)
        }
        var head: ValueHead? = nil
        let settings = PPOSettings(steps: 1, batch: 64, minibatch: 16, epochs: 4, lr: 1.41e-5, kl: .fixed(0.2))
        func iteration() throws {
            _ = try ppo(&policy, valueHead: &head, reward: reward, task: task, settings: settings, rng: &rng)
        }
        try iteration()
        return try medianSeconds(repeats, iteration)
    }
}
