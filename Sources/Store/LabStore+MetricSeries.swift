import GRDB
import GRDBSQLite

extension LabStore {
    /// Each metric series of a run in brief, by name, computed by SQLite from the series' rows: a run of 1.2 M points
    /// is summarised without bringing a point into Swift.
    public func metricSummaries(run: Int64) throws -> [MetricSeriesSummary] {
        try read { db in
            _ = try DBRun.existing(db, id: run)
            return try Self.series(db, run: run).map { series in
                let key: StatementArguments = [run, series.id]
                let range = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT min(step) AS first_step, min(value) AS low, max(value) AS high FROM metric_points
                        WHERE run_id = ? AND name_id = ?
                        """, arguments: key)
                let firstStep: Int = (range?["first_step"] as Int?) ?? series.lastStep
                let low: Double? = range?["low"], high: Double? = range?["high"]
                let value = try db.cachedStatement(
                    sql: "SELECT value FROM metric_points WHERE run_id = ? AND name_id = ? AND step = ?")
                func at(_ step: Int) throws -> Double {
                    let row = try Row.fetchOne(value, arguments: key + [step])
                    return (row?[0] as Double?) ?? .nan
                }
                return MetricSeriesSummary(
                    name: series.name, points: series.points, firstStep: firstStep, lastStep: series.lastStep,
                    first: try at(firstStep), last: try at(series.lastStep), min: low ?? .nan, max: high ?? .nan)
            }
        }
    }

    /// Hands over a run's metric points, all series or the one named, ordered by name then step (NaN for a missing
    /// value), one at a time as SQLite reads them: memory stays that of one point, and nothing is allocated per point.
    public func forEachMetricPoint(
        run: Int64, name: String? = nil, _ body: (_ name: String, _ step: Int, _ value: Double) throws -> Void
    ) throws {
        try read { db in
            _ = try DBRun.existing(db, id: run)
            try Self.readPoints(db, run: run, name: name) { series, step, value in try body(series.name, step, value) }
        }
    }

    /// Each metric series of a run for drawing, by name: all its points when it has at most `limit`, else `limit` of
    /// them evenly spaced by position, first and last included; with the number of points the series has. SQLite
    /// hands every row over and only the kept ones are stored, so memory is `limit` points per series whatever the
    /// run logged.
    public func thinnedMetricSeries(run: Int64, name: String? = nil, limit: Int) throws -> [(
        name: String, steps: [Int], values: [Double], total: Int
    )] {
        try read { db in
            _ = try DBRun.existing(db, id: run)
            var out: [(name: String, steps: [Int], values: [Double], total: Int)] = []
            var positions: [Int] = [], next = 0
            try Self.readPoints(db, run: run, name: name) { series, step, value in
                if out.last?.name != series.name {
                    out.append((series.name, [], [], 0))
                    positions = Self.keptPositions(count: series.points, limit: limit)
                    next = 0
                }
                let last = out.count - 1
                if next < positions.count && out[last].total == positions[next] {
                    out[last].steps.append(step)
                    out[last].values.append(value)
                    next += 1
                }
                out[last].total += 1
            }
            return out
        }
    }

    /// Hands over the points of a run's series (all, or the one named) in name then step order, as SQLite reads them:
    /// one prepared statement, no allocation per point.
    private static func readPoints(
        _ db: Database, run: Int64, name: String?,
        _ body: (_ series: (id: Int64, name: String, points: Int, lastStep: Int), _ step: Int, _ value: Double) throws
            -> Void
    ) throws {
        let statement = try db.makeStatement(
            sql: "SELECT step, value FROM metric_points WHERE run_id = ? AND name_id = ? ORDER BY step")
        let raw = statement.sqliteStatement
        for series in try Self.series(db, run: run) where name == nil || series.name == name {
            try statement.setArguments([run, series.id])
            while true {
                let code = sqlite3_step(raw)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else {
                    throw DatabaseError(
                        resultCode: ResultCode(rawValue: code),
                        message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                let value = sqlite3_column_type(raw, 1) == SQLITE_NULL ? .nan : sqlite3_column_double(raw, 1)
                try body(series, Int(sqlite3_column_int64(raw, 0)), value)
            }
            sqlite3_reset(raw)
        }
    }

    /// The positions of a series of `count` points that a drawing of at most `limit` keeps: all of them, or `limit`
    /// evenly spaced ones (the nearest position to each of `limit` equal steps), first and last included.
    public static func keptPositions(count: Int, limit: Int) -> [Int] {
        let limit = max(2, limit)
        guard count > limit else { return Array(0..<max(0, count)) }
        let stride = Double(count - 1) / Double(limit - 1)
        return (0..<limit).map { Int((Double($0) * stride).rounded()) }
    }

    /// Hands over a run's metric points as ``forEachMetricPoint(run:name:_:)`` does, each with when it was recorded:
    /// the time of the commit that wrote it (`2025-11-25T13:12:52.123Z`), for trackers that put every point on a
    /// clock (MLflow's `timestamp`).
    public func forEachMetricPoint(
        run: Int64,
        timed body: (_ name: String, _ step: Int, _ value: Double, _ recordedAt: String) throws -> Void
    ) throws {
        try read { db in
            _ = try DBRun.existing(db, id: run)
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT n.name, p.step, p.value, c.created_at FROM metric_points p
                    JOIN metric_names n ON n.id = p.name_id JOIN commits c ON c.id = p.commit_id
                    WHERE p.run_id = ? ORDER BY n.name, p.step
                    """, arguments: [run])
            while let row = try rows.next() {
                let value: Double? = row[2]
                try body(row[0], row[1], value ?? .nan, row[3])
            }
        }
    }

    /// A run's series from `metric_series`, ordered by name.
    private static func series(_ db: Database, run: Int64) throws -> [(
        id: Int64, name: String, points: Int, lastStep: Int
    )] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT s.name_id, n.name, s.points, s.last_step FROM metric_series s
                JOIN metric_names n ON n.id = s.name_id WHERE s.run_id = ? ORDER BY n.name
                """, arguments: [run]
        ).map { (id: $0[0], name: $0[1], points: $0[2], lastStep: $0[3]) }
    }
}
