import Engine
import Foundation
import Models

/// P9: training throughput and peak memory of nanoGPT's CPU `shakespeare_char` configuration (context 64, batch 12,
/// 4 layers, 4 heads, 128 dimensions, vocabulary 65), ours beside PyTorch's (`Benchmarks/peers/gpt_train_torch.py`)
/// in the same run. Each side trains in a process of its own, so each peak resident memory is its own.
enum LanguageModelTraining {
    static let config = GPTConfig(vocab: 65, layers: 4, heads: 4, dim: 128, context: 64)
    static let batch = 12
    /// The argument that makes `rlhf-bench` the training child: `rlhf-bench --train-gpt STEPS`.
    static let childFlag = "--train-gpt"

    /// When started as the training child, trains and prints `tokens_per_s=… peak_rss_mb=…`; returns whether it was.
    static func runChildIfAsked() -> Bool {
        let arguments = CommandLine.arguments
        guard let i = arguments.firstIndex(of: childFlag) else { return false }
        let steps = i + 1 < arguments.count ? Int(arguments[i + 1]) ?? 50 : 50
        let (wall, cpu) = train(steps: steps)
        print(
            String(
                format: "tokens_per_s=%.1f tokens_per_cpu_s=%.1f peak_rss_mb=%.1f", wall, cpu, peakResidentMegabytes()))
        return true
    }

    /// Tokens per second of wall time and per second of CPU time (user + system, all threads) of `steps` training
    /// steps (after 5 unmeasured ones) on random tokens, with the notebook's settings: AdamW lr 1e-3, β₂ 0.99,
    /// weight decay 0.1, clip 1.
    static func train(steps: Int) -> (wall: Double, cpu: Double) {
        var rng = RNG(seed: 9)
        var gpt = GPT(config: config, rng: &rng)
        var adam = Adam(shapes: GPT.parameterShapes(config))
        let time = config.context
        let data = (0..<100_000).map { _ in rng.int(below: config.vocab) }
        func step() {
            var inputs: [Int] = [], targets: [Int] = []
            for _ in 0..<batch {
                let start = rng.int(below: data.count - time - 1)
                inputs += data[start..<(start + time)]
                targets += data[(start + 1)...(start + time)]
            }
            _ = gpt.trainStep(
                inputs: inputs, targets: targets, batch: batch, time: time, lr: 1e-3, settings: AdamWSettings(),
                optimizer: &adam)
        }
        for _ in 0..<5 { step() }
        let cpuStart = cpuSeconds()
        let seconds = medianSeconds(1) { for _ in 0..<steps { step() } }
        let tokens = Double(steps * batch * time)
        return (tokens / seconds, tokens / (cpuSeconds() - cpuStart))
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
    }

    /// The CPU's model name from /proc/cpuinfo ("unknown CPU" elsewhere).
    static var cpuModel: String {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let lines = info.split(separator: "\n")
        func field(_ name: String) -> String? {
            lines.first { $0.hasPrefix(name) && $0.dropFirst(name.count).first.map { $0 == " " || $0 == "\t" } == true }
                .flatMap { $0.split(separator: ":", maxSplits: 1).last }
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        // Virtual machines often hide the model ("AMD EPYC"): family and model tell the core generation apart
        // (AMD family 25 model 0–15 is Zen 3, 16–31 and 160+ Zen 4; family 26 is Zen 5), the flags the widest vectors.
        let flags = Set((field("flags") ?? "").split(separator: " ").map(String.init))
        let vectors = flags.contains("avx512f") ? "AVX-512" : flags.contains("avx2") ? "AVX2" : "no AVX2"
        let generation = [field("cpu family").map { "family \($0)" }, field("model").map { "model \($0)" }]
            .compactMap { $0 }.joined(separator: " ")
        return "\(field("model name") ?? "unknown CPU") (\(generation.isEmpty ? "" : generation + ", ")\(vectors))"
    }

    /// Runs this executable as the training child; its `key=value` figures.
    static func child(steps: Int) throws -> [String: Double] {
        let result = try Processes.run(URL(fileURLWithPath: CommandLine.arguments[0]), [childFlag, "\(steps)"])
        guard result.status == 0 else { throw BenchError.failed("rlhf-bench \(childFlag) exited \(result.status)") }
        var figures: [String: Double] = [:]
        for field in result.output.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let parts = field.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Double(parts[1]) { figures[String(parts[0])] = value }
        }
        return figures
    }
}

extension Bench {
    /// P9 throughput against PyTorch on all cores (and, for reference, on one), and peak memory against its 2×
    /// bound. Ours and the peer alternate, so a busy moment of the machine falls on both.
    mutating func languageModelTraining() throws {
        guard wanted("P9") else { return }
        let steps = quick ? 20 : 50
        let cores = ProcessInfo.processInfo.activeProcessorCount
        say("P9 GPT training (shakespeare_char CPU config) on \(LanguageModelTraining.cpuModel)…")
        var ours: [String: Double] = [:], peer: [String: Double]? = nil
        for _ in 0..<(quick ? 1 : 3) {
            let a = try LanguageModelTraining.child(steps: steps)
            let b = Processes.peer("gpt_train_torch.py", ["\(steps)", "\(cores)"])
            say(
                "  ours \(a["tokens_per_s"].map(Report.number) ?? "?") tokens/s, PyTorch "
                    + "\(b?["tokens_per_s"].map(Report.number) ?? "absent") tokens/s")
            if (a["tokens_per_s"] ?? 0) > (ours["tokens_per_s"] ?? 0) { ours = a }
            if let b, (b["tokens_per_s"] ?? 0) > (peer?["tokens_per_s"] ?? 0) { peer = b }
        }
        let single = Processes.peer("gpt_train_torch.py", ["\(steps)", "1"])
        let cpu = LanguageModelTraining.cpuModel
        figures.append(
            Figure(
                workload: "P9 GPT training, \(cores) threads, \(cpu)", ours: ours["tokens_per_s"] ?? 0,
                unit: "tokens/s", peer: peer?["tokens_per_s"].map { ("PyTorch, \(cores) threads", $0) },
                target: .ratioAtLeast(2)))
        figures.append(
            Figure(
                workload: "P9 GPT training (vs PyTorch on 1 thread)", ours: ours["tokens_per_s"] ?? 0,
                unit: "tokens/s", peer: single?["tokens_per_s"].map { ("PyTorch, 1 thread", $0) }, target: .none))
        // Per second of CPU time: what a machine busy with other work disturbs least (a peer whose threads wait
        // for a core spins, so its wall-clock figure on a loaded machine says little).
        figures.append(
            Figure(
                workload: "P9 GPT training per CPU-second, \(cores) threads", ours: ours["tokens_per_cpu_s"] ?? 0,
                unit: "tokens/cpu-s", peer: peer?["tokens_per_cpu_s"].map { ("PyTorch, \(cores) threads", $0) },
                target: .none))
        let peerMemory = peer?["peak_rss_mb"]
        figures.append(
            Figure(
                workload: "P9 peak resident memory of training", ours: ours["peak_rss_mb"] ?? 0, unit: "MB",
                peer: peerMemory.map { ("PyTorch", $0) }, target: peerMemory.map { .atMost(2 * $0) } ?? .none))
    }
}
