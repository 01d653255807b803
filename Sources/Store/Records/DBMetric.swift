import GRDB

/// Metric points: rows of `metric_points` (run, interned name, step, commit, value), read through the `metrics`
/// view. Written in one batched insert per commit and never updated.
enum DBMetric {
    /// Rows per multi-row INSERT: 5 parameters each stays far below SQLite's variable limit.
    static let rowsPerStatement = 500

    /// Writes a commit's points: interns their names, then inserts them in multi-row statements.
    /// A step a series already has in the run -> ``StoreError/badCommit(cell:reason:)``.
    static func insert(_ db: Database, run: Int64, commit: Int64, cell: Int, points: [MetricPoint]) throws {
        guard !points.isEmpty else { return }
        let ids = try intern(db, Set(points.map(\.name)).sorted())
        var seen = Set<MetricKey>()
        for point in points where !seen.insert(MetricKey(name: point.name, step: point.step)).inserted {
            throw StoreError.badCommit(cell: cell, reason: "metric '\(point.name)' has step \(point.step) twice")
        }
        var index = 0
        do {
            while index < points.count {
                let chunk = points[index..<min(index + rowsPerStatement, points.count)]
                let rowMarkers = Array(repeating: "(?,?,?,?,?)", count: chunk.count).joined(separator: ",")
                // Full chunks reuse one cached statement; the last, shorter one is prepared once.
                let sql = "INSERT INTO metric_points (run_id, name_id, step, commit_id, value) VALUES " + rowMarkers
                let statement =
                    chunk.count == rowsPerStatement ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
                var values: [(any DatabaseValueConvertible)?] = []
                values.reserveCapacity(chunk.count * 5)
                for point in chunk {
                    values.append(run)
                    values.append(ids[point.name])
                    values.append(point.step)
                    values.append(commit)
                    values.append(point.value.isNaN ? nil : point.value)
                }
                try statement.execute(arguments: StatementArguments(values))
                index += chunk.count
            }
            try count(db, run: run, ids: ids, points: points)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            let existing = try points.first { point in
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM metrics WHERE run_id = ? AND name = ? AND step = ?",
                    arguments: [run, point.name, point.step]) ?? false
            }
            let which = existing.map { "metric '\($0.name)' already has step \($0.step) in run \(run)" }
            throw StoreError.badCommit(cell: cell, reason: which ?? (error.message ?? "\(error)"))
        }
    }

    /// Adds the commit's points to each series' row of `metric_series` (its count and last step).
    private static func count(_ db: Database, run: Int64, ids: [String: Int64], points: [MetricPoint]) throws {
        var series: [Int64: (points: Int, lastStep: Int)] = [:]
        for point in points {
            guard let id = ids[point.name] else { continue }
            let old = series[id] ?? (0, point.step)
            series[id] = (old.points + 1, max(old.lastStep, point.step))
        }
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO metric_series (run_id, name_id, points, last_step) VALUES (?, ?, ?, ?)
                ON CONFLICT (run_id, name_id) DO UPDATE
                SET points = points + excluded.points, last_step = max(last_step, excluded.last_step)
                """)
        for (id, s) in series.sorted(by: { $0.key < $1.key }) {
            try upsert.execute(arguments: [run, id, s.points, s.lastStep])
        }
    }

    /// The id of each name, adding the names not seen before.
    private static func intern(_ db: Database, _ names: [String]) throws -> [String: Int64] {
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO metric_names (name) VALUES (?)")
        let select = try db.cachedStatement(sql: "SELECT id FROM metric_names WHERE name = ?")
        var ids: [String: Int64] = [:]
        for name in names {
            try insert.execute(arguments: [name])
            guard let id = try Int64.fetchOne(select, arguments: [name]) else {
                throw StoreError.database("", "metric name '\(name)' was not interned")
            }
            ids[name] = id
        }
        return ids
    }

    private struct MetricKey: Hashable {
        var name: String
        var step: Int
    }

    /// Points of a run ordered by name, then step; NULL values read back as NaN.
    static func points(_ db: Database, run: Int64, name: String?) throws -> [(name: String, step: Int, value: Double)] {
        var sql = """
            SELECT n.name, p.step, p.value FROM metric_points p JOIN metric_names n ON n.id = p.name_id
            WHERE p.run_id = ?
            """
        var arguments: StatementArguments = [run]
        if let name {
            sql += " AND n.name = ?"
            arguments += [name]
        }
        sql += " ORDER BY n.name, p.step"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let value: Double? = row[2]
            return (name: row[0], step: row[1], value: value ?? .nan)
        }
    }
}
