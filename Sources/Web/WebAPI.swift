import Foundation
import Store

/// The JSON under `/api/…`: every page's data, for notebooks in other tools. Numbers that are not finite are the
/// strings `nan`, `inf` and `-inf`, as in `rlhf … --json`.
enum WebAPI {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(value)
    }

    static func runs(_ store: LabStore, includingDeleted: Bool) throws -> Data {
        let runs = try store.runs(includingDeleted: includingDeleted)
        let finals = try store.finalMetrics(runs: runs.map(\.id))
        return try encode(runs.map { RunWithMetrics(run: $0, finalMetrics: finals[$0.id] ?? [:]) })
    }

    struct Curve: Encodable {
        var label: String
        var runs: [Int64]
        var steps: [Int]
        var means: [Double]
        var low: [Double?]
        var high: [Double?]
    }

    struct CompareBody: Encodable {
        var comparison: Comparison
        /// Each chosen metric's mean curve per group, by metric name.
        var curves: [String: [Curve]]
    }

    static func compare(_ store: LabStore, _ selection: CompareSelection) throws -> Data {
        let comparison = try selection.comparison(store)
        var curves: [String: [Curve]] = [:]
        for metric in try selection.metricNames(of: comparison) {
            curves[metric] = try store.curves(of: comparison, metric: metric).map {
                Curve(
                    label: $0.label, runs: $0.runs, steps: $0.steps, means: $0.means, low: $0.intervals.map { $0?.low },
                    high: $0.intervals.map { $0?.high })
            }
        }
        return try encode(CompareBody(comparison: comparison, curves: curves))
    }

    struct VersionBody: Encodable {
        var version: VersionInfo
        var checkpoint: Checkpoint?
        var rows: [BlameLine]?
    }

    static func version(_ store: LabStore, _ ref: VersionRef) throws -> Data {
        let (info, state) = try store.state(ref)
        switch state {
        case .checkpoint(let checkpoint): return try encode(VersionBody(version: info, checkpoint: checkpoint))
        case .dataset: return try encode(VersionBody(version: info, rows: try store.blame(ref).1))
        }
    }

    struct SweepRow: Encodable {
        var id: Int64
        var notebook: String
        var createdAt: String
        var runs: Int
    }

    static func sweepRows(_ store: LabStore) throws -> [SweepRow] {
        let result = try store.query(
            "SELECT s.id, s.notebook, s.created_at, (SELECT count(*) FROM sweep_runs r WHERE r.sweep_id = s.id) FROM sweeps s ORDER BY s.id"
        )
        return result.rows.compactMap { row in
            guard case .integer(let id) = row[0], case .text(let notebook) = row[1], case .text(let created) = row[2],
                case .integer(let runs) = row[3]
            else { return nil }
            return SweepRow(id: id, notebook: notebook, createdAt: created, runs: Int(runs))
        }
    }
}

/// A run as `/api/runs` and `rlhf runs --json --columns metrics` give it: its summary's fields and `finalMetrics`,
/// the last value of each metric series.
public struct RunWithMetrics: Encodable {
    public var run: RunSummary
    public var finalMetrics: [String: Double]

    public init(run: RunSummary, finalMetrics: [String: Double]) {
        self.run = run
        self.finalMetrics = finalMetrics
    }

    private enum CodingKeys: String, CodingKey { case finalMetrics }

    public func encode(to encoder: any Encoder) throws {
        try run.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(finalMetrics, forKey: .finalMetrics)
    }
}
