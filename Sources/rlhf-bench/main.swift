import Foundation

// rlhf-bench: RLHF Lab's workloads P1–P8 beside their peers (numpy, PyTorch, raw SQLite), measured in the same run.
// Usage: swift run -c release rlhf-bench [--quick]     (run from the repository root, so peers and notebooks are found)

let quick = CommandLine.arguments.contains("--quick")

func say(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

@MainActor func main() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-bench-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    
    
    var figures: [Figure] = []
    let scale = quick ? 1 : 4
    
    say("P1/P2 reward-model training…")
    let p1 = try Workloads.rewardTraining(batch: 64, pairs: 5_000 * scale, epochs: 2)
    let numpy64 = Processes.peer("bt_numpy.py", ["64", "\(5_000 * scale)", "2"])?["pairs_per_s"]
    let torch64 = Processes.peer("bt_torch.py", ["64", "\(5_000 * scale)", "2"])?["pairs_per_s"]
    figures.append(Figure(workload: "P1 BT training, batch 64 (vs numpy)", ours: p1, unit: "pairs/s",
                          peer: numpy64.map { ("numpy", $0) }, target: .ratioAtLeast(2)))
    figures.append(Figure(workload: "P1 BT training, batch 64 (vs PyTorch)", ours: p1, unit: "pairs/s",
                          peer: torch64.map { ("PyTorch", $0) }, target: .ratioAtLeast(5)))
    let p2 = try Workloads.rewardTraining(batch: 1, pairs: 500 * scale, epochs: 1)
    let torch1 = Processes.peer("bt_torch.py", ["1", "\(500 * scale)", "1"])?["pairs_per_s"]
    let numpy1 = Processes.peer("bt_numpy.py", ["1", "\(500 * scale)", "1"])?["pairs_per_s"]
    figures.append(Figure(workload: "P2 BT training, batch 1 (vs PyTorch)", ours: p2, unit: "pairs/s",
                          peer: torch1.map { ("PyTorch", $0) }, target: .ratioAtLeast(25)))
    figures.append(Figure(workload: "P2 BT training, batch 1 (vs numpy)", ours: p2, unit: "pairs/s",
                          peer: numpy1.map { ("numpy", $0) }, target: .none))
    
    say("P3 metric logging…")
    let (p3, bytesPerPoint) = try Workloads.metricLogging(folder: folder, cells: 20 * scale, perCell: 10_000)
    let sqlite = Processes.peer("sqlite_inserts.py", [folder.appendingPathComponent("peer.sqlite").path, "\(200_000 * scale)", "10000"])
    figures.append(Figure(workload: "P3 metric points committed", ours: p3, unit: "points/s",
                          peer: sqlite?["points_per_s"].map { ("raw SQLite (Python)", $0) }, target: .atLeast(500_000)))
    figures.append(Figure(workload: "P3 bytes per metric point", ours: bytesPerPoint, unit: "bytes",
                          peer: sqlite?["bytes_per_point"].map { ("raw SQLite (Python)", $0) }, target: .atMost(40)))
    
    say("P4/P5 checkpoints and diff…")
    let (unchangedBytes, mbps) = try Workloads.checkpointing(folder: folder)
    figures.append(Figure(workload: "P4 checkpoint, nothing changed", ours: Double(unchangedBytes), unit: "new bytes", peer: nil, target: .atMost(0)))
    figures.append(Figure(workload: "P4 checkpoint, 4 MB changed", ours: mbps, unit: "MB/s", peer: nil, target: .atLeast(200)))
    figures.append(Figure(workload: "P5 diff of a 1M-parameter model", ours: try Workloads.diff(folder: folder), unit: "ms", peer: nil, target: .atMost(20)))
    
    say("P6–P8 whole commands…")
    let repeats = quick ? 3 : 7
    let store = folder.appendingPathComponent("p6.sqlite").path
    figures.append(Figure(workload: "P6 rlhf --help", ours: try Processes.rlhfMilliseconds(["--help"], repeats: repeats), unit: "ms", peer: nil, target: .atMost(50)))
    figures.append(Figure(workload: "P6 shell start to first prompt and exit", ours: try Processes.rlhfMilliseconds(["--store", store], stdin: ":quit\n", repeats: repeats), unit: "ms", peer: nil, target: .atMost(50)))
    if FileManager.default.fileExists(atPath: "notebooks/quickstart.rlhf") {
        let ms = try Processes.rlhfMilliseconds(["run", "notebooks/quickstart.rlhf", "--quiet", "--store", folder.appendingPathComponent("p7.sqlite").path], repeats: quick ? 1 : 3)
        figures.append(Figure(workload: "P7 quickstart notebook end to end", ours: ms / 1000, unit: "s", peer: nil, target: .atMost(5)))
    }
    func notebook(cells: Int) throws -> String {
        let path = folder.appendingPathComponent("trivial-\(cells).rlhf").path
        let text = (1...cells).map { "# %% cell \($0)\nx\($0) = \($0) + 1\n" }.joined()
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
    @MainActor func runMilliseconds(_ path: String) throws -> Double {
        var runCount = 0
        return try medianSeconds(repeats) {
            runCount += 1
            let store = folder.appendingPathComponent("p8-\(URL(fileURLWithPath: path).lastPathComponent)-\(runCount).sqlite").path
            guard try Processes.spawn(Processes.rlhf.path, ["run", path, "--quiet", "--store", store], stdin: "/dev/null") == 0 else {
                throw BenchError.failed("rlhf run \(path) failed")
            }
        } * 1000
    }
    let three = try runMilliseconds(try notebook(cells: 3))
    let hundred = try runMilliseconds(try notebook(cells: 100))
    figures.append(Figure(workload: "P8 3-cell notebook end to end", ours: three, unit: "ms", peer: nil, target: .atMost(30)))
    figures.append(Figure(workload: "P8 per cell over a 100-cell notebook", ours: (hundred - three) / 97, unit: "ms", peer: nil, target: .atMost(1)))
    
    print(Report.table(figures, quick: quick))
}

do {
    try main()
} catch {
    say("error: \(error)")
    exit(1)
}
