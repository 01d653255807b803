import Alignment
import Engine
import Foundation
import Models
import Store

/// One measured figure, with its peer's figure when a peer ran, and the target the issue sets.
struct Figure {
    var workload: String
    var ours: Double
    var unit: String
    var peer: (name: String, value: Double)?
    /// Our figure must be at least `ratio` × the peer's (or, for `lowerIsBetter`, at most the bound).
    var target: Target

    enum Target {
        case ratioAtLeast(Double)
        case atLeast(Double)
        case atMost(Double)
        case none
    }

    var ratio: Double? { peer.map { ours / $0.value } }

    var met: Bool? {
        switch target {
        case let .ratioAtLeast(r): ratio.map { $0 >= r }
        case let .atLeast(x): ours >= x
        case let .atMost(x): ours <= x
        case .none: nil
        }
    }
}

/// Times `body` `repeats` times and returns the median in seconds.
func medianSeconds(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<repeats {
        let start = clock.now
        try body()
        let d = clock.now - start
        times.append(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }
    times.sort()
    return times[times.count / 2]
}

enum Workloads {
    /// P1/P2: Bradley–Terry training of the seed's reward model (100→64→1, Adam) on random pairs.
    static func rewardTraining(batch: Int, pairs: Int, epochs: Int) throws -> Double {
        var rng = RNG(seed: 1)
        let rows = (0..<pairs).map { i in
            PreferencePair(
                uid: Int64(i + 1), prompt: 0, chosen: (0..<100).map { _ in rng.normal() },
                rejected: (0..<100).map { _ in rng.normal() }, annotator: "bench", seed: 0)
        }
        let data = PreferenceDataset(rows: rows)
        var rm = RewardModel(input: 100, hidden: 64, rng: &rng)
        let seconds = try medianSeconds(3) {
            _ = try fit(&rm, on: data, epochs: epochs, lr: 1e-3, batch: batch, rng: &rng)
        }
        return Double(pairs * epochs) / seconds
    }

    /// P3: metric points committed to the store, `perCell` points per cell commit. Returns (points/s, bytes/point).
    static func metricLogging(folder: URL, cells: Int, perCell: Int) throws -> (Double, Double) {
        let path = folder.appendingPathComponent("metrics.sqlite").path
        let store = try LabStore(path: path)
        let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
        let before = store.fileBytes
        let names = ["rm.loss", "rm.accuracy", "policy.kl", "policy.gold"]
        var step = 0
        let seconds = try medianSeconds(1) {
            for c in 0..<cells {
                var points: [MetricPoint] = []
                points.reserveCapacity(perCell)
                for _ in 0..<perCell {
                    points.append(MetricPoint(name: names[step % 4], step: step / 4, value: Double(step) * 0.001))
                    step += 1
                }
                _ = try store.commit(
                    run: run,
                    CellCommit(
                        cell: CellRecord(ordinal: c + 1, key: "\(c + 1)", title: "", source: ""), output: "",
                        durationMs: 0,
                        metrics: points))
            }
        }
        let total = Double(cells * perCell)
        return (total / seconds, Double(store.fileBytes - before) / total)
    }

    /// P4: (new blob bytes when nothing changed, MB/s writing a changed 1M-parameter checkpoint).
    static func checkpointing(folder: URL) throws -> (Int, Double) {
        let store = try LabStore(path: folder.appendingPathComponent("ckpt.sqlite").path)
        let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
        var rng = RNG(seed: 2)
        var ordinal = 0
        func commit(_ t: [StoredTensor]) throws -> CommitSummary {
            ordinal += 1
            return try store.commit(
                run: run,
                CellCommit(
                    cell: CellRecord(ordinal: ordinal, key: "\(ordinal)", title: "", source: ""), output: "",
                    durationMs: 0,
                    objects: [("model", .checkpoint(Checkpoint(kind: "policy", config: "{}", tensors: t)))]))
        }
        func model() -> [StoredTensor] {
            (0..<4).map { i in
                StoredTensor(name: "w\(i)", shape: [500, 500], values: rng.normalTensor([500, 500]).data)
            }
        }
        let first = model()
        _ = try commit(first)
        let unchanged = try commit(first).bytesWritten
        // Draw the changed models first: only the commit is timed.
        var changed = (0..<3).map { _ in model() }
        var written = 0
        let seconds = try medianSeconds(3) { written = try commit(changed.removeLast()).bytesWritten }
        return (unchanged, Double(written) / 1e6 / seconds)
    }

    /// P5: milliseconds to diff two versions of a 1M-parameter model.
    static func diff(folder: URL) throws -> Double {
        let store = try LabStore(path: folder.appendingPathComponent("diff.sqlite").path)
        let run = try store.beginRun(notebook: nil, source: "", parameters: "{}")
        var rng = RNG(seed: 3)
        for ordinal in 1...2 {
            let tensors = (0..<4).map { i in
                StoredTensor(name: "w\(i)", shape: [500, 500], values: rng.normalTensor([500, 500]).data)
            }
            _ = try store.commit(
                run: run,
                CellCommit(
                    cell: CellRecord(ordinal: ordinal, key: "\(ordinal)", title: "", source: ""), output: "",
                    durationMs: 0,
                    objects: [("model", .checkpoint(Checkpoint(kind: "policy", config: "{}", tensors: tensors)))]))
        }
        let a = VersionRef(run: run, object: "model", version: 1)
        let b = VersionRef(run: run, object: "model", version: 2)
        return try medianSeconds(5) { _ = try store.diff(a, b) } * 1000
    }
}
