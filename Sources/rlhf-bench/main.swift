import Engine
import Foundation

// rlhf-bench: RLHF Lab's workloads P1–P17 beside their peers (numpy, PyTorch, raw SQLite), measured in the same run.
// Usage: swift run -c release rlhf-bench [--quick] [--only P1,P2,…] [--keep]
//        (run from the repository root, so peers and notebooks are found; --keep leaves the stores it built, e.g.
//        P13's, in the folder it names at the end, for profiling the commands on them)

let quick = CommandLine.arguments.contains("--quick")
let keep = CommandLine.arguments.contains("--keep")
/// The workloads asked for with `--only P1,P3`; nil runs all of them.
let only: Set<String>? = CommandLine.arguments.firstIndex(of: "--only").map { i in
    let list = i + 1 < CommandLine.arguments.count ? CommandLine.arguments[i + 1] : ""
    return Set(list.split(separator: ",").map { $0.uppercased() })
}

func wanted(_ workloads: String...) -> Bool {
    guard let only else { return true }
    return workloads.contains { only.contains($0) }
}

func say(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Times of our code and its peers are taken in the same run, so their ratio is fair on a noisy machine.
@MainActor struct Bench {
    let folder: URL
    let scale = quick ? 1 : 4
    let repeats = quick ? 3 : 7
    var figures: [Figure] = []

    mutating func rewardTraining() throws {
        if wanted("P1") {
            try rewardTraining(
                "P1", batch: 64, pairs: 5_000 * scale, epochs: 2,
                peers: [("bt_numpy.py", "numpy", .ratioAtLeast(2)), ("bt_torch.py", "PyTorch", .ratioAtLeast(5))])
        }
        if wanted("P2") {
            try rewardTraining(
                "P2", batch: 1, pairs: 500 * scale, epochs: 1,
                peers: [("bt_torch.py", "PyTorch", .ratioAtLeast(25)), ("bt_numpy.py", "numpy", .none)])
        }
    }

    /// Our Bradley–Terry training beside each peer script run with the same batch, pairs and epochs: one figure per peer.
    private mutating func rewardTraining(
        _ workload: String, batch: Int, pairs: Int, epochs: Int,
        peers: [(script: String, name: String, target: Figure.Target)]
    ) throws {
        say("\(workload) reward-model training, batch \(batch)…")
        let ours = try Workloads.rewardTraining(batch: batch, pairs: pairs, epochs: epochs)
        for peer in peers {
            let theirs = Processes.peer(peer.script, ["\(batch)", "\(pairs)", "\(epochs)"])?["pairs_per_s"]
            figures.append(
                Figure(
                    workload: "\(workload) BT training, batch \(batch) (vs \(peer.name))", ours: ours,
                    unit: "pairs/s", peer: theirs.map { (peer.name, $0) }, target: peer.target))
        }
    }

    mutating func metricLogging() throws {
        guard wanted("P3") else { return }
        say("P3 metric logging…")
        let (ours, bytesPerPoint) = try Workloads.metricLogging(folder: folder, cells: 20 * scale, perCell: 10_000)
        let sqlite = Processes.peer(
            "sqlite_inserts.py", [folder.appendingPathComponent("peer.sqlite").path, "\(200_000 * scale)", "10000"])
        figures.append(
            Figure(
                workload: "P3 metric points committed", ours: ours, unit: "points/s",
                peer: sqlite?["points_per_s"].map { ("raw SQLite (Python)", $0) }, target: .atLeast(500_000)))
        figures.append(
            Figure(
                workload: "P3 bytes per metric point", ours: bytesPerPoint, unit: "bytes",
                peer: sqlite?["bytes_per_point"].map { ("raw SQLite (Python)", $0) }, target: .atMost(40)))
    }

    mutating func checkpoints() throws {
        guard wanted("P4", "P5") else { return }
        say("P4/P5 checkpoints and diff…")
        let (unchangedBytes, mbps) = try Workloads.checkpointing(folder: folder)
        figures.append(
            Figure(
                workload: "P4 checkpoint, nothing changed", ours: Double(unchangedBytes), unit: "new bytes", peer: nil,
                target: .atMost(0)))
        figures.append(
            Figure(workload: "P4 checkpoint, 4 MB changed", ours: mbps, unit: "MB/s", peer: nil, target: .atLeast(200)))
        figures.append(
            Figure(
                workload: "P5 diff of a 1M-parameter model", ours: try Workloads.diff(folder: folder), unit: "ms",
                peer: nil, target: .atMost(20)))
    }

    mutating func wholeCommands() throws {
        guard wanted("P6", "P7", "P8") else { return }
        say("P6–P8 whole commands…")
        let store = folder.appendingPathComponent("p6.sqlite").path
        figures.append(
            Figure(
                workload: "P6 rlhf --help", ours: try Processes.rlhfMilliseconds(["--help"], repeats: repeats),
                unit: "ms", peer: nil, target: .atMost(50)))
        figures.append(
            Figure(
                workload: "P6 shell start to first prompt and exit",
                ours: try Processes.rlhfMilliseconds(["--store", store], stdin: ":quit\n", repeats: repeats),
                unit: "ms", peer: nil, target: .atMost(50)))
        if FileManager.default.fileExists(atPath: "notebooks/quickstart.rlhf") {
            let ms = try Processes.rlhfMilliseconds(
                [
                    "run", "notebooks/quickstart.rlhf", "--quiet", "--store",
                    folder.appendingPathComponent("p7.sqlite").path,
                ], repeats: quick ? 1 : 3)
            figures.append(
                Figure(
                    workload: "P7 quickstart notebook end to end", ours: ms / 1000, unit: "s", peer: nil,
                    target: .atMost(5)))
        }
        let three = try notebookMilliseconds(cells: 3)
        let hundred = try notebookMilliseconds(cells: 100)
        figures.append(
            Figure(workload: "P8 3-cell notebook end to end", ours: three, unit: "ms", peer: nil, target: .atMost(30)))
        figures.append(
            Figure(
                workload: "P8 per cell over a 100-cell notebook", ours: (hundred - three) / 97, unit: "ms", peer: nil,
                target: .atMost(1)))
    }

    /// Median wall time of `rlhf run` on a trivial notebook of `cells` cells, each run on a fresh store.
    private func notebookMilliseconds(cells: Int) throws -> Double {
        let path = folder.appendingPathComponent("trivial-\(cells).rlhf").path
        let text = (1...cells).map { "# %% cell \($0)\nx\($0) = \($0) + 1\n" }.joined()
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var runCount = 0
        return try medianSeconds(repeats) {
            runCount += 1
            let store = folder.appendingPathComponent("p8-\(cells)-\(runCount).sqlite").path
            guard
                try Processes.spawn(
                    Processes.rlhf.path, ["run", path, "--quiet", "--store", store], stdin: "/dev/null") == 0
            else {
                throw BenchError.failed("rlhf run \(path) failed")
            }
        } * 1000
    }
}

@MainActor func main() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "rlhf-bench-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer {
        if keep { say("stores kept in \(folder.path)") } else { try? FileManager.default.removeItem(at: folder) }
    }
    var bench = Bench(folder: folder)
    try bench.rewardTraining()
    try bench.metricLogging()
    try bench.checkpoints()
    try bench.wholeCommands()
    try bench.languageModelTraining()
    try bench.languageModelSampling()
    try bench.storeAtScale()
    try bench.textRewardScoring()
    try bench.textPolicyOptimization()
    try bench.feedbackCommit()
    print(Report.table(bench.figures, quick: quick))
}

KernelConfiguration.keepLargeBuffers()
if LanguageModelTraining.runChildIfAsked() { exit(0) }

do {
    try main()
} catch {
    say("error: \(error)")
    exit(1)
}
