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
            let chosen = try Self.series(db, run: run).filter { name == nil || $0.name == name }
            try Self.readPoints(db, run: run, series: chosen) { series, step, value in
                try body(series.name, step, value)
            }
        }
    }

    /// Each metric series of a run (or those in `names`) for drawing, by name: all its points when it has at most
    /// `limit`, else at most `limit` of them evenly spaced along the steps (for each of `limit` equally spaced steps
    /// from the first to the last, the first point at or after it; first and last included); with the number of
    /// points the series has. A series of up to 8 × `limit` points is scanned once; a longer one is read by `limit`
    /// index seeks (the same points either way), so a page of a 1.2 M-point run reads 12,000 points.
    public func thinnedMetricSeries(run: Int64, names: Set<String>? = nil, limit: Int) throws -> [(
        name: String, steps: [Int], values: [Double], total: Int
    )] {
        try read { db in
            _ = try DBRun.existing(db, id: run)
            let limit = max(2, limit)
            let seek = try db.cachedStatement(
                sql: """
                    SELECT step, value FROM metric_points WHERE run_id = ? AND name_id = ? AND step >= ?
                    ORDER BY step LIMIT 1
                    """)
            var out: [(name: String, steps: [Int], values: [Double], total: Int)] = []
            for series in try Self.series(db, run: run) where names?.contains(series.name) ?? true {
                var steps: [Int] = [], values: [Double] = []
                if series.points <= limit {
                    try Self.readPoints(db, run: run, series: [series]) { _, step, value in
                        steps.append(step)
                        values.append(value)
                    }
                } else {
                    let first =
                        try Int.fetchOne(
                            db, sql: "SELECT min(step) FROM metric_points WHERE run_id = ? AND name_id = ?",
                            arguments: [run, series.id]) ?? series.lastStep
                    let targets = Self.keptSteps(first: first, last: series.lastStep, limit: limit)
                    if series.points <= 8 * limit {
                        // A few times `limit`: one scan costs less than the seeks, and keeps the same points (each
                        // target's first point at or after it).
                        var next = 0
                        try Self.readPoints(db, run: run, series: [series]) { _, step, value in
                            guard next < targets.count, step >= targets[next] else { return }
                            steps.append(step)
                            values.append(value)
                            while next < targets.count && targets[next] <= step { next += 1 }
                        }
                    } else {
                        let raw = seek.sqliteStatement
                        for target in targets {
                            // Bound directly: GRDB's argument checks would cost more than the seek itself.
                            sqlite3_bind_int64(raw, 1, run)
                            sqlite3_bind_int64(raw, 2, series.id)
                            sqlite3_bind_int64(raw, 3, Int64(target))
                            try Self.step(seek, db) { raw in
                                let step = Int(sqlite3_column_int64(raw, 0))
                                guard step != steps.last else { return }
                                steps.append(step)
                                values.append(Self.value(raw))
                            }
                        }
                    }
                }
                out.append((series.name, steps, values, series.points))
            }
            return out
        }
    }

    /// `limit` steps evenly spaced from `first` to `last`, both included (rounded to whole steps, so some may repeat
    /// when the range is short).
    static func keptSteps(first: Int, last: Int, limit: Int) -> [Int] {
        let span = Double(last - first)
        return (0..<limit).map { first + Int((Double($0) * span / Double(limit - 1)).rounded()) }
    }

    /// Hands over the points of the `chosen` series of a run, each series in step order, as SQLite reads them: one
    /// prepared statement, no allocation per point.
    private static func readPoints(
        _ db: Database, run: Int64, series chosen: [(id: Int64, name: String, points: Int, lastStep: Int)],
        _ body: (_ series: (id: Int64, name: String, points: Int, lastStep: Int), _ step: Int, _ value: Double) throws
            -> Void
    ) throws {
        let statement = try db.cachedStatement(
            sql: "SELECT step, value FROM metric_points WHERE run_id = ? AND name_id = ? ORDER BY step")
        for series in chosen {
            try statement.setArguments([run, series.id])
            try step(statement, db) { raw in
                try body(series, Int(sqlite3_column_int64(raw, 0)), value(raw))
            }
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

    /// How many points a run's series `name` has and its last step, or nil when the run logged no such metric.
    public func metricSeriesSize(run: Int64, name: String) throws -> (points: Int, lastStep: Int)? {
        try read { db in
            _ = try DBRun.existing(db, id: run)
            return try Self.series(db, run: run).first { $0.name == name }.map { ($0.points, $0.lastStep) }
        }
    }

    /// One page of a run's series `name`: at most `limit` points with steps after `after` (from the first when nil)
    /// and at most `through`, in step order. A long series is read as such pages, each a short read of its own (an
    /// index seek on the points' key), so whoever reads it slowly holds no connection in between.
    public func metricPoints(
        run: Int64, name: String, after: Int?, through: Int, limit: Int
    ) throws -> (steps: [Int], values: [Double]) {
        try read { db in
            guard let series = try Self.series(db, run: run).first(where: { $0.name == name }) else {
                return ([], [])
            }
            let statement = try db.cachedStatement(
                sql: """
                    SELECT step, value FROM metric_points WHERE run_id = ? AND name_id = ? AND step > ? AND step <= ?
                    ORDER BY step LIMIT ?
                    """)
            try statement.setArguments([run, series.id, after ?? Int.min, through, limit])
            var steps: [Int] = [], values: [Double] = []
            steps.reserveCapacity(limit)
            values.reserveCapacity(limit)
            try Self.step(statement, db) { raw in
                steps.append(Int(sqlite3_column_int64(raw, 0)))
                values.append(Self.value(raw))
            }
            return (steps, values)
        }
    }

    /// Column 1 of a `SELECT step, value` row: NaN where the value is missing.
    private static func value(_ raw: OpaquePointer) -> Double {
        sqlite3_column_type(raw, 1) == SQLITE_NULL ? .nan : sqlite3_column_double(raw, 1)
    }

    /// Steps `statement` through its rows, handing each to `row` as SQLite's own statement.
    private static func step(_ statement: Statement, _ db: Database, _ row: (OpaquePointer) throws -> Void) throws {
        let raw = statement.sqliteStatement
        defer { sqlite3_reset(raw) }
        while true {
            let code = sqlite3_step(raw)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code),
                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            try row(raw)
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
