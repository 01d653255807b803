import Foundation

/// What a sweep runs: each parameter's values (literals as typed on the command line) and the seeds. Its points
/// are every combination, first parameter slowest; each point runs once per seed (once if there are no seeds).
///
/// ```swift
/// let grid = SweepGrid(axes: [.init(name: "kl", literals: ["0", "0.1"]), .init(name: "lr", literals: ["1e-3"])],
///                      seeds: [1, 2, 3])
/// grid.points  // [[("kl","0"),("lr","1e-3")], [("kl","0.1"),("lr","1e-3")]]; 2 points × 3 seeds = 6 runs
/// ```
public struct SweepGrid: Sendable, Codable, Equatable {
    public struct Axis: Sendable, Codable, Equatable {
        public var name: String
        public var literals: [String]

        public init(name: String, literals: [String]) {
            self.name = name
            self.literals = literals
        }
    }

    public var axes: [Axis]
    /// Passed to each run as `--param seed=K`; empty for one run per point.
    public var seeds: [Int]

    public init(axes: [Axis], seeds: [Int]) {
        self.axes = axes
        self.seeds = seeds
    }

    /// Every combination of the axes' values, first axis slowest (one empty point when there are no axes).
    public var points: [[(name: String, literal: String)]] {
        var points: [[(name: String, literal: String)]] = [[]]
        for axis in axes {
            points = points.flatMap { point in axis.literals.map { point + [(axis.name, $0)] } }
        }
        return points
    }

    /// The runs of the sweep in the order they start: point by point, each point's seeds in order.
    public var runs: [(point: Int, seed: Int?)] {
        points.indices.flatMap { p in seeds.isEmpty ? [(p, nil)] : seeds.map { (p, $0) } }
    }

    /// The form stored in `sweeps.grid` and compared to find a sweep again: sorted keys, no spaces.
    public var canonicalJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// A run's place in a sweep, recorded with the run when it starts.
public struct SweepMembership: Sendable, Codable, Equatable {
    public var sweep: Int64
    public var point: Int
    public var seed: Int?

    public init(sweep: Int64, point: Int, seed: Int?) {
        self.sweep = sweep
        self.point = point
        self.seed = seed
    }
}
