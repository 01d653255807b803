import Foundation
import GRDB

extension LabStore {
    /// The sweep of this notebook (path and text) and grid, created if there is none yet. Returns its id and
    /// whether it is new.
    public func sweep(notebook: String, source: String, grid: SweepGrid) throws -> (id: Int64, created: Bool) {
        let sourceHash = ContentHash.blob(Data(source.utf8))
        return try write { db in
            let json = grid.canonicalJSON
            if let id = try Int64.fetchOne(
                db, sql: "SELECT id FROM sweeps WHERE notebook = ? AND source_hash = ? AND grid = ?",
                arguments: [notebook, sourceHash, json])
            {
                return (id, false)
            }
            try db.execute(
                sql: "INSERT INTO sweeps (notebook, source_hash, grid, created_at) VALUES (?, ?, ?, ?)",
                arguments: [notebook, sourceHash, json, Timestamp.now()])
            return (db.lastInsertedRowID, true)
        }
    }

    /// A sweep's grid and every run recorded for it (all statuses, oldest first).
    public func sweep(_ id: Int64) throws -> SweepDetail {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sweeps WHERE id = ?", arguments: [id]) else {
                throw StoreError.unknownSweep(id, latest: try Int64.fetchOne(db, sql: "SELECT max(id) FROM sweeps"))
            }
            let grid = try Self.grid(row["grid"], sweep: id)
            let members = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.run_id, s.point, s.seed FROM sweep_runs s JOIN runs r ON r.id = s.run_id
                    WHERE s.sweep_id = ? AND r.deleted_at IS NULL ORDER BY s.run_id
                    """, arguments: [id])
            let statuses = Dictionary(
                uniqueKeysWithValues: try summaries(
                    db, where: "r.id IN (SELECT run_id FROM sweep_runs WHERE sweep_id = ?)", arguments: [id]
                ).map { ($0.id, $0.status) })
            return SweepDetail(
                id: id, notebook: row["notebook"], sourceHash: row["source_hash"], grid: grid,
                createdAt: row["created_at"],
                runs: members.map { m in
                    let run: Int64 = m["run_id"]
                    return SweepDetail.Member(
                        run: run, point: m["point"], seed: m["seed"], status: statuses[run] ?? .interrupted)
                })
        }
    }

    static func grid(_ json: String, sweep: Int64) throws -> SweepGrid {
        do {
            return try JSONDecoder().decode(SweepGrid.self, from: Data(json.utf8))
        } catch {
            throw StoreError.database("", "sweep \(sweep) has a grid that does not read: \(json)")
        }
    }

    /// Records a new run's place in its sweep (in the transaction that starts the run).
    func writeMembership(_ db: Database, run: Int64, _ member: SweepMembership) throws {
        guard let json = try String.fetchOne(db, sql: "SELECT grid FROM sweeps WHERE id = ?", arguments: [member.sweep])
        else {
            throw StoreError.unknownSweep(
                member.sweep, latest: try Int64.fetchOne(db, sql: "SELECT max(id) FROM sweeps"))
        }
        let grid = try Self.grid(json, sweep: member.sweep)
        guard grid.points.indices.contains(member.point),
            member.seed.map(grid.seeds.contains) ?? grid.seeds.isEmpty
        else {
            throw StoreError.notInSweep(member.sweep, point: member.point, seed: member.seed)
        }
        try db.execute(
            sql: "INSERT INTO sweep_runs (run_id, sweep_id, point, seed) VALUES (?, ?, ?, ?)",
            arguments: [run, member.sweep, member.point, member.seed])
    }

    /// The sweep's points with the mean and 95% interval of each metric's last value over the seeds, taking each
    /// seed's latest succeeded run; seeds without one are listed as pending.
    public func comparison(sweep id: Int64) throws -> Comparison {
        let detail = try sweep(id)
        var latest: [Int: [Int: Int64]] = [:]  // point → seed (−1 for none) → run
        for member in detail.runs where member.status == .succeeded {
            latest[member.point, default: [:]][member.seed ?? -1] = member.run
        }
        let chosen = latest.values.flatMap(\.values).sorted()
        let finals = try finalMetrics(runs: chosen)
        let names = Set(finals.values.flatMap(\.keys)).sorted()
        let groups = detail.grid.points.enumerated().map { index, point in
            let bySeed = latest[index] ?? [:]
            let runs = bySeed.values.sorted()
            let seeds = detail.grid.seeds.filter { bySeed[$0] != nil }
            let pending = detail.grid.seeds.isEmpty ? [] : detail.grid.seeds.filter { bySeed[$0] == nil }
            return Comparison.Group(
                parameters: point.map { Comparison.Parameter(name: $0.name, value: $0.literal) }, runs: runs,
                seeds: seeds, metrics: Self.summaries(names, runs: runs, finals: finals), pending: pending)
        }
        return Comparison(
            sweep: id, parameterNames: detail.grid.axes.map(\.name), metricNames: names, groups: groups)
    }

    /// Runs grouped by their recorded parameters other than the seed (`run_seed`, as `rlhf sweep --seeds` sets it);
    /// the columns are the parameters whose values differ between groups (all of them when there is one group).
    public func comparison(runs ids: [Int64]) throws -> Comparison {
        let all = try runs(includingDeleted: true)
        var chosen: [RunSummary] = []
        for id in ids {
            guard let run = all.first(where: { $0.id == id }) else {
                throw StoreError.unknownRun(id, latest: all.last?.id)
            }
            if !chosen.contains(where: { $0.id == id }) { chosen.append(run) }
        }
        let finals = try finalMetrics(runs: chosen.map(\.id))
        let names = Set(finals.values.flatMap(\.keys)).sorted()
        var keys: [String] = []
        var members: [String: [RunSummary]] = [:]
        var parameters: [String: [(name: String, value: String)]] = [:]
        for run in chosen {
            let split = RunParameters.split(run.parameters).filter { $0.name != Self.seedParameter }
            let key = split.map { "\($0.name)=\($0.value)" }.joined(separator: "\n")
            if members[key] == nil {
                keys.append(key)
                parameters[key] = split
            }
            members[key, default: []].append(run)
        }
        var columns: [String] = []
        for key in keys {
            for (name, _) in parameters[key] ?? [] where !columns.contains(name) { columns.append(name) }
        }
        if keys.count > 1 {
            columns = columns.filter { name in
                Set(keys.map { key in parameters[key]?.first { $0.name == name }?.value ?? "-" }).count > 1
            }
        }
        let groups = keys.map { key in
            let runs = (members[key] ?? []).map(\.id).sorted()
            let seeds = (members[key] ?? []).compactMap { run in
                RunParameters.split(run.parameters).first { $0.name == Self.seedParameter }.flatMap { Int($0.value) }
            }
            let values = parameters[key] ?? []
            return Comparison.Group(
                parameters: columns.map { name in
                    Comparison.Parameter(name: name, value: values.first { $0.name == name }?.value ?? "-")
                },
                runs: runs, seeds: seeds, metrics: Self.summaries(names, runs: runs, finals: finals), pending: [])
        }
        return Comparison(sweep: nil, parameterNames: columns, metricNames: names, groups: groups)
    }

    /// The parameter holding a run's seed in a sweep.
    static let seedParameter = "run_seed"

    private static func summaries(_ names: [String], runs: [Int64], finals: [Int64: [String: Double]])
        -> [String: MeanInterval]
    {
        var result: [String: MeanInterval] = [:]
        for name in names {
            let values = runs.compactMap { finals[$0]?[name] }
            result[name] = MeanInterval(values, missing: runs.count - values.count)
        }
        return result
    }
}

/// A sweep as stored: its grid and its runs.
public struct SweepDetail: Sendable, Codable, Equatable {
    public struct Member: Sendable, Codable, Equatable {
        public var run: Int64
        public var point: Int
        public var seed: Int?
        public var status: RunStatus
    }

    public var id: Int64
    public var notebook: String
    public var sourceHash: String
    public var grid: SweepGrid
    public var createdAt: String
    public var runs: [Member]
}
