import Engine
import Foundation
import Store

/// P13's store: `runs` runs written through ``LabStore``'s own API, so it holds what real runs leave behind.
///
/// At 1,000 runs it holds ≈10 M metric points (9,999,192) and ≈100,000 checkpoint versions (99,900):
/// - run 1 is a long pretraining run of 1.2 M points (12 series × 100,000 steps, 120 cells), metrics only;
/// - every other run is a notebook of 25 cells logging 8 series × 1,101 steps and writing 100 checkpoint versions
///   (4 objects × 25 cells) whose tensors share content as a fine-tune's do: the pretrained embedding is the same in
///   every run, the head the same in every version of a run, and only one small layer is new in each version;
/// - runs 2–101 are a 100-run sweep (`kl` × `lr` = 10 points × 10 seeds); a smaller store holds its first runs
///   only, so the sweep's other runs read as pending;
/// - the runs after the sweep come from four notebooks, some named and tagged;
/// - the last run, and every hundredth after the sweep, is deleted with `rlhf rm`, so `rlhf gc` has runs to purge.
///
/// Everything drawn comes from a seeded ``RNG``, so two builds hold the same content.
struct ScaleStore {
    let runs: Int

    static let bigRunSteps = 100_000
    static let stepsPerRun = 1_101
    static let cellsPerRun = 25
    static let objectsPerCell = 4
    static let sweepSize = 100
    static let grid = SweepGrid(
        axes: [
            SweepGrid.Axis(name: "kl", literals: ["0", "0.03", "0.1", "0.3", "1"]),
            SweepGrid.Axis(name: "lr", literals: ["0.001", "0.0003"]),
        ], seeds: Array(1...10))

    /// What the generator wrote, for the figures that divide by it.
    struct Built {
        var path: String
        var points = 0
        var versions = 0
        /// Bytes of tensor content the store had not seen before (each commit's `bytesWritten`, summed).
        var uniqueTensorBytes = 0
        var sweep: Int64 = 0
        var bigRun: Int64 = 0
        /// File growth over the long run (metrics only), and the points it held.
        var metricBytes = 0
        var metricPoints = 0
        /// The file's size after the long run: what the other runs' growth is measured from.
        var afterLongRun = 0
    }

    private static let bigNames = [
        "pretrain.loss", "pretrain.perplexity", "pretrain.lr", "pretrain.grad_norm", "pretrain.tokens_per_s",
        "val.loss", "val.perplexity", "objective/kl", "objective/entropy", "ppo/loss/policy", "ppo/loss/value",
        "env/reward_mean",
    ]
    /// The long run's first series, for timing one series' read.
    static var firstSeries: String { bigNames[0] }
    private static let runNames = [
        "rm.loss", "rm.accuracy", "objective/kl", "objective/scores", "ppo/loss/policy", "ppo/loss/value",
        "ppo/policy/clipfrac", "policy.gold",
    ]

    /// Builds the store in three stages, closing it after each so its file holds every page (no write-ahead log):
    /// the sweep's row, the long run's metrics, then everything else. The stages' sizes give bytes per point and
    /// bytes per version.
    func build(at path: String) throws -> Built {
        var rng = RNG(seed: 13)
        let embedding = StoredTensor(name: "embed", shape: [64, 64], values: rng.normalTensor([64, 64]).data)
        var built = Built(path: path)
        let source = "# %% parameters\nkl = 0.1\nlr = 0.0003\n"
        built.sweep = try LabStore(path: path).sweep(
            notebook: "notebooks/kl_sweep.rlhf", source: source, grid: Self.grid
        ).id
        let empty = Self.size(path)
        do {
            let store = try LabStore(path: path)
            let id = try store.beginRun(
                notebook: "notebooks/shakespeare.rlhf", source: "# %% pretrain\n", parameters: "{}",
                metadata: RunMetadata(name: "shakespeare-long", tags: ["pretrain"]))
            built.bigRun = id
            try writeCells(store, run: id, big: true, embedding: embedding, rng: &rng, built: &built)
            try store.finishRun(id, status: .succeeded)
        }
        let afterBig = Self.size(path)
        built.metricPoints = built.points
        built.metricBytes = afterBig - empty
        built.afterLongRun = afterBig
        let store = try LabStore(path: path)
        let plan = Self.grid.runs
        for index in stride(from: 2, through: runs, by: 1) {
            let id: Int64
            if index - 2 < Self.sweepSize {
                let member = plan[index - 2]
                let point = Self.grid.points[member.point]
                let parameters = (point.map { "\"\($0.name)\":\($0.literal)" } + ["\"run_seed\":\(member.seed ?? 0)"])
                    .joined(separator: ",")
                id = try store.beginRun(
                    notebook: "notebooks/kl_sweep.rlhf", source: source, parameters: "{\(parameters)}",
                    metadata: RunMetadata(
                        tags: ["sweep"],
                        sweep: SweepMembership(sweep: built.sweep, point: member.point, seed: member.seed)))
            } else {
                let notebook = ["quickstart", "dpo_vs_ppo", "iterative", "active_learning"][index % 4]
                id = try store.beginRun(
                    notebook: "notebooks/\(notebook).rlhf", source: "# %% cell\n", parameters: "{\"seed\":\(index)}",
                    metadata: RunMetadata(
                        name: index % 10 == 0 ? "run-\(index)" : nil, tags: index % 7 == 0 ? ["baseline"] : []))
            }
            try writeCells(store, run: id, big: false, embedding: embedding, rng: &rng, built: &built)
            try store.finishRun(id, status: .succeeded)
            if index == runs || (index > 1 + Self.sweepSize && index % 100 == 0) { try store.removeRun(id) }
        }
        return built
    }

    /// Bytes of the file and its write-ahead log.
    static func size(_ path: String) -> Int {
        [path, path + "-wal"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)??.intValue ?? 0)
        }
    }

    /// The run's cells: metrics spread over them and, except in the long run, 4 checkpoints in each.
    private func writeCells(
        _ store: LabStore, run: Int64, big: Bool, embedding: StoredTensor, rng: inout RNG, built: inout Built
    ) throws {
        let names = big ? Self.bigNames : Self.runNames
        let steps = big ? Self.bigRunSteps : Self.stepsPerRun
        let cells = big ? 120 : Self.cellsPerRun
        let heads = (0..<Self.objectsPerCell).map { o in
            // The last value names the object, so the run's four heads differ from one another.
            StoredTensor(
                name: "head", shape: [16, 16], values: rng.normalTensor([16, 16]).data.dropLast() + [Float(o)])
        }
        let drift = Double(rng.normal()) * 0.1
        for cell in 0..<cells {
            let first = steps * cell / cells
            let last = steps * (cell + 1) / cells
            var points: [MetricPoint] = []
            points.reserveCapacity(names.count * (last - first))
            for name in names.indices {
                for step in first..<last {
                    let t = Double(step) / Double(steps)
                    points.append(
                        MetricPoint(
                            name: names[name], step: step,
                            value: Double(name + 1) * exp(-3 * t) + drift * t + Double(rng.normal()) * 0.01))
                }
            }
            var objects: [(name: String, state: ObjectState)] = []
            if !big {
                objects = ["policy", "value", "rm", "ref"].enumerated().map { o, name in
                    let layer = StoredTensor(name: "layer", shape: [8, 8], values: rng.normalTensor([8, 8]).data)
                    let checkpoint = Checkpoint(
                        kind: "policy", config: "{\"dim\":64}", tensors: [embedding, heads[o], layer])
                    return (name, .checkpoint(checkpoint))
                }
            }
            let summary = try store.commit(
                run: run,
                CellCommit(
                    cell: CellRecord(
                        ordinal: cell + 1, key: "\(cell + 1)", title: "train \(cell + 1)",
                        source: "train(policy, steps: \(last - first))"),
                    output: "step \(last): loss \(String(format: "%.4f", points.last?.value ?? 0))\n", durationMs: 12,
                    objects: objects, metrics: points,
                    bindings: [("step", .value(json: "\(last)"))]))
            built.points += points.count
            built.versions += objects.count
            built.uniqueTensorBytes += summary.bytesWritten
        }
    }
}
