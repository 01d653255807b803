import Foundation
import GRDB
import Testing

@testable import Store

/// Sweeps as the store keeps them: the grid's expansion, finding a sweep again, runs recorded at their point and
/// seed, and the comparison over seeds.
@Suite struct SweepStoreTests {
    static let grid = SweepGrid(
        axes: [.init(name: "kl", literals: ["0", "0.1"]), .init(name: "lr", literals: ["1e-3", "3e-4", "1"])],
        seeds: [1, 2])

    @Test func theGridExpandsFirstParameterSlowest() {
        #expect(
            Self.grid.points.map { $0.map { "\($0.name)=\($0.literal)" }.joined(separator: " ") } == [
                "kl=0 lr=1e-3", "kl=0 lr=3e-4", "kl=0 lr=1", "kl=0.1 lr=1e-3", "kl=0.1 lr=3e-4", "kl=0.1 lr=1",
            ])
        #expect(Self.grid.runs.count == 12)
        #expect(Self.grid.runs.prefix(3).map { "\($0.point):\($0.seed ?? -1)" } == ["0:1", "0:2", "1:1"])
        #expect(SweepGrid(axes: [], seeds: []).runs.map { "\($0.point):\($0.seed ?? -1)" } == ["0:-1"])
        #expect(
            Self.grid.canonicalJSON
                == #"{"axes":[{"literals":["0","0.1"],"name":"kl"},{"literals":["1e-3","3e-4","1"],"name":"lr"}],"seeds":[1,2]}"#
        )
    }

    @Test func aSweepIsFoundAgainByNotebookTextAndGrid() throws {
        try withTemporaryStore { store, _ in
            let first = try store.sweep(notebook: "nb.rlhf", source: "a", grid: Self.grid)
            #expect(first.created && first.id == 1)
            let again = try store.sweep(notebook: "nb.rlhf", source: "a", grid: Self.grid)
            #expect(!again.created && again.id == 1)
            let edited = try store.sweep(notebook: "nb.rlhf", source: "b", grid: Self.grid)
            #expect(edited.created && edited.id == 2)
            #expect(throws: StoreError.unknownSweep(7, latest: 2)) { try store.sweep(7) }
        }
    }

    @Test func aRunMustClaimAPointAndSeedItsSweepHas() throws {
        try withTemporaryStore { store, _ in
            let sweep = try store.sweep(notebook: "nb.rlhf", source: "a", grid: Self.grid).id
            for (point, seed) in [(6, 1), (0, 3), (0, nil)] as [(Int, Int?)] {
                #expect(throws: StoreError.notInSweep(sweep, point: point, seed: seed)) {
                    try store.beginRun(
                        notebook: "nb.rlhf", source: "a", parameters: "{}",
                        metadata: .init(sweep: .init(sweep: sweep, point: point, seed: seed)))
                }
            }
            #expect(throws: StoreError.unknownSweep(9, latest: sweep)) {
                try store.beginRun(
                    notebook: "nb.rlhf", source: "a", parameters: "{}",
                    metadata: .init(sweep: .init(sweep: 9, point: 0, seed: 1)))
            }
            #expect(try store.runs().isEmpty)
        }
    }

    /// Starts a run at `point`/`seed` logging `gold` = `value` (a second series `loss` only when `loss` is given).
    static func member(
        _ store: LabStore, sweep: Int64?, point: Int, seed: Int?, gold: Double, loss: Double? = nil,
        parameters: String = "{}", status: RunStatus = .succeeded
    ) throws -> Int64 {
        let run = try store.beginRun(
            notebook: "nb.rlhf", source: "a", parameters: parameters,
            metadata: .init(sweep: sweep.map { .init(sweep: $0, point: point, seed: seed) }))
        var points = [MetricPoint(name: "gold", step: 0, value: -1), MetricPoint(name: "gold", step: 1, value: gold)]
        if let loss { points.append(MetricPoint(name: "loss", step: 0, value: loss)) }
        _ = try store.commit(run: run, CellCommit(cell: cell(1), output: "", durationMs: 1, metrics: points))
        try store.finishRun(run, status: status)
        return run
    }

    @Test func aSweepComparesEachPointOverItsSeeds() throws {
        try withTemporaryStore { store, _ in
            let grid = SweepGrid(axes: [.init(name: "kl", literals: ["0", "0.1"])], seeds: [1, 2, 3])
            let sweep = try store.sweep(notebook: "nb.rlhf", source: "a", grid: grid).id
            // Point 0: seeds 1–3 give 1, 2, 4 (seed 2 failed once before succeeding with 2).
            _ = try Self.member(store, sweep: sweep, point: 0, seed: 1, gold: 1, loss: 5)
            _ = try Self.member(store, sweep: sweep, point: 0, seed: 2, gold: 100, status: .failed)
            _ = try Self.member(store, sweep: sweep, point: 0, seed: 2, gold: 2)
            _ = try Self.member(store, sweep: sweep, point: 0, seed: 3, gold: 4)
            // Point 1: only seed 3 succeeded.
            _ = try Self.member(store, sweep: sweep, point: 1, seed: 3, gold: 0.5)
            let c = try store.comparison(sweep: sweep)
            #expect(c.parameterNames == ["kl"] && c.metricNames == ["gold", "loss"])
            #expect(c.groups.map { $0.parameters.map(\.value) } == [["0"], ["0.1"]])
            #expect(c.groups.map(\.runs) == [[1, 3, 4], [5]])
            #expect(c.groups.map(\.pending) == [[], [1, 2]])
            // mean 7/3, s² = ((1−7/3)² + (2−7/3)² + (4−7/3)²)/2 = 7/3, half-width t(0.975, 2)·√(7/3)/√3.
            let gold = try #require(c.groups[0].metrics["gold"])
            #expect(abs(gold.mean - 7.0 / 3) < 1e-15 && gold.n == 3)
            #expect(abs((gold.halfWidth ?? 0) - 4.302652729749462 * (7.0 / 3).squareRoot() / 3.0.squareRoot()) < 1e-9)
            let loss = try #require(c.groups[0].metrics["loss"])
            #expect(loss.n == 1 && loss.mean == 5 && loss.missing == 2 && loss.halfWidth == nil)
            #expect(c.groups[1].metrics["gold"]?.mean == 0.5 && c.groups[1].metrics["loss"] == nil)
        }
    }

    @Test func runsAreGroupedByTheirParametersOtherThanSeed() throws {
        try withTemporaryStore { store, _ in
            for (kl, seed, gold) in [("0.1", 1, 2.0), ("0.1", 2, 4.0), ("0.3", 1, 1.0), ("0.1", 3, 6.0)] {
                _ = try Self.member(
                    store, sweep: nil, point: 0, seed: nil, gold: gold,
                    parameters: #"{"kl":\#(kl),"steps":10,"run_seed":\#(seed)}"#)
            }
            let c = try store.comparison(runs: [1, 2, 3, 4])
            #expect(c.parameterNames == ["kl"])
            #expect(c.groups.map { $0.parameters.map(\.value) } == [["0.1"], ["0.3"]])
            #expect(c.groups.map(\.runs) == [[1, 2, 4], [3]] && c.groups.map(\.seeds) == [[1, 2, 3], [1]])
            // [2, 4, 6]: mean 4, s = 2, half-width t(0.975, 2) · 2/√3.
            let gold = try #require(c.groups[0].metrics["gold"])
            #expect(gold.mean == 4 && gold.sd == 2)
            #expect(abs((gold.halfWidth ?? 0) - 4.302652729749462 * 2 / 3.0.squareRoot()) < 1e-9)
            #expect(throws: StoreError.unknownRun(9, latest: 4)) { try store.comparison(runs: [1, 9]) }
        }
    }

    /// `plot.sweep`'s data: per point, the mean by step over the seeds' latest succeeded runs with a t-interval.
    @Test func sweepCurvesAverageEachStepOverThePointsSeeds() throws {
        try withTemporaryStore { store, _ in
            let grid = SweepGrid(axes: [.init(name: "kl", literals: ["0", "0.1", "1"])], seeds: [1, 2, 3])
            let sweep = try store.sweep(notebook: "nb.rlhf", source: "a", grid: grid).id
            // Point 0: gold at step 1 is 1, 2, 4 over the seeds (a failed run of seed 2 is left out); step 0 is −1.
            _ = try Self.member(store, sweep: sweep, point: 0, seed: 1, gold: 1)
            _ = try Self.member(store, sweep: sweep, point: 0, seed: 2, gold: 100, status: .failed)
            _ = try Self.member(store, sweep: sweep, point: 0, seed: 2, gold: 2)
            _ = try Self.member(store, sweep: sweep, point: 0, seed: 3, gold: 4)
            // Point 1: one seed, so a mean without an interval; point 2: no run, so no curve.
            _ = try Self.member(store, sweep: sweep, point: 1, seed: 3, gold: 0.5)
            let curves = try store.sweepCurves(sweep: sweep, metric: "gold")
            #expect(curves.map(\.label) == ["kl=0", "kl=0.1"])
            #expect(curves.map(\.runs) == [[1, 3, 4], [5]])
            #expect(curves[0].steps == [0, 1] && curves[0].means == [-1, 7.0 / 3])
            // Step 0: three equal values, so a zero-width interval; step 1: 7/3 ± t(0.975, 2)·√(7/3)/√3.
            let half = 4.302652729749462 * (7.0 / 3).squareRoot() / 3.0.squareRoot()
            #expect(curves[0].intervals[0]?.low == -1 && curves[0].intervals[0]?.high == -1)
            #expect(abs((curves[0].intervals[1]?.low ?? 0) - (7.0 / 3 - half)) < 1e-9)
            #expect(abs((curves[0].intervals[1]?.high ?? 0) - (7.0 / 3 + half)) < 1e-9)
            #expect(curves[1].means == [-1, 0.5] && curves[1].intervals.allSatisfy { $0 == nil })
            #expect(try store.sweepCurves(sweep: sweep, metric: "nothing").isEmpty)
            #expect(throws: StoreError.unknownSweep(8, latest: sweep)) {
                try store.sweepCurves(sweep: 8, metric: "gold")
            }
        }
    }

    /// Runs that logged different steps: the curve's steps are their union in order, each averaged over the runs that
    /// logged it (in run order, so the bits are those of `MeanInterval` over exactly those values).
    @Test(arguments: [
        [[0, 1, 2], [0, 1, 2]], [[0, 2, 4], [1, 2, 3]], [[5], [0, 1, 2, 3]], [[0, 10], [], [3, 10, 11]],
        [[2, 4, 6, 8], [1, 3, 5, 7, 9], [4, 5]],
    ])
    func curvesMergeTheRunsStepsInOrder(stepsOfRuns: [[Int]]) throws {
        try withTemporaryStore { store, _ in
            var expected: [Int: [Double]] = [:]
            for (r, steps) in stepsOfRuns.enumerated() {
                let run = try store.beginRun(notebook: "nb.rlhf", source: "a", parameters: #"{"run_seed":\#(r)}"#)
                let points = steps.map { MetricPoint(name: "gold", step: $0, value: Double($0 * 10 + r) / 3) }
                for point in points { expected[point.step, default: []].append(point.value) }
                if !points.isEmpty {
                    _ = try store.commit(
                        run: run, CellCommit(cell: cell(1), output: "", durationMs: 1, metrics: points))
                }
                try store.finishRun(run, status: .succeeded)
            }
            let runs = Array(1...Int64(stepsOfRuns.count))
            let curve = try #require(try store.curves(of: try store.comparison(runs: runs), metric: "gold").first)
            let steps = expected.keys.sorted()
            #expect(curve.steps == steps)
            #expect(curve.means == steps.map { MeanInterval(expected[$0] ?? [])?.mean ?? .nan })
            #expect(curve.intervals.map { $0?.low } == steps.map { MeanInterval(expected[$0] ?? [])?.low })
            #expect(try store.curves(of: try store.comparison(runs: runs), metric: "gold", minimumRuns: 9).isEmpty)
        }
    }
}
