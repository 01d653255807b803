import Engine
import Foundation
import Models

extension Bench {
    /// P10: sampling 16 sequences of 64 new tokens with a KV cache from nanoGPT's `shakespeare_char` CPU model size
    /// (random weights), beside the PyTorch peer doing the same in the same run.
    mutating func languageModelSampling() throws {
        guard wanted("P10") else { return }
        let (sequences, tokens) = (16, 64)
        say("P10 GPT sampling with a KV cache, \(sequences) × \(tokens) tokens…")
        let ours = try Workloads.languageModelSampling(sequences: sequences, tokens: tokens, repeats: repeats)
        // PyTorch on its default threads (the target's peer), and on one thread: on a loaded machine its threads wait
        // on each other and the first figure alone would flatter us.
        for threads in [0, 1] {
            let peer = Processes.peer("gpt_sample_torch.py", ["\(sequences)", "\(tokens)", "\(repeats)", "\(threads)"])
            let theirs = peer?["tokens_per_s"]
            let ratio = theirs.map { String(format: "%.2f×", ours / $0) } ?? "no peer"
            let used = peer?["threads"].map { " on \(Int($0)) thread\($0 == 1 ? "" : "s")" } ?? ""
            say(
                "P10: \(Report.number(ours)) tokens/s, PyTorch \(theirs.map(Report.number) ?? "absent")\(used), "
                    + "\(ratio), CPU \(Self.cpuModel)")
            figures.append(
                Figure(
                    workload: "P10 GPT sampling \(sequences) × \(tokens) tokens, KV cache (vs PyTorch\(used))",
                    ours: ours, unit: "tokens/s", peer: theirs.map { ("PyTorch", $0) }, target: .ratioAtLeast(3)))
        }
    }

    /// The CPU's model name from /proc/cpuinfo (Linux), or "unknown".
    static var cpuModel: String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
            let colon = line.firstIndex(of: ":")
        else { return "unknown" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}

extension Workloads {
    /// New tokens per second (median of `repeats` runs after one warm-up) sampling `sequences` continuations of a
    /// one-token prompt from a GPT-2-initialised model of vocab 65, 4 layers, 4 heads, dim 128, context 64, with
    /// temperature 0.8 and top-k 10, as the peer does.
    static func languageModelSampling(sequences: Int, tokens: Int, repeats: Int) throws -> Double {
        var rng = RNG(seed: 1)
        let model = GPT(config: GPTConfig(vocab: 65, layers: 4, heads: 4, dim: 128, context: 64), rng: &rng)
        func sample() throws {
            let s = try model.sample(prompt: [0], tokens: tokens, temperature: 0.8, topK: 10, n: sequences, rng: &rng)
            guard s.count == sequences, s.allSatisfy({ $0.count == tokens }) else {
                throw BenchError.failed("P10: sample returned \(s.map(\.count)) tokens")
            }
        }
        try sample()
        return Double(sequences * tokens) / (try medianSeconds(repeats, sample))
    }
}
