import GRDB
import GRDBSQLite

/// Metric points: rows of `metric_points` (run, interned name, step, commit, value), read through the `metrics`
/// view. Written in key order by multi-row statements whose values are bound one by one, and never updated.
enum DBMetric {
    /// Rows per multi-row INSERT (5 parameters each, far below SQLite's variable limit). One statement a row spent a
    /// third of a commit's time starting and ending statements; beyond ~100 rows a statement, more gain nothing.
    static let rowsPerStatement = 100

    static func insertSQL(rows: Int) -> String {
        "INSERT INTO metric_points (run_id, name_id, step, commit_id, value) VALUES "
            + Array(repeating: "(?,?,?,?,?)", count: rows).joined(separator: ",")
    }

    private static let fullInsert = insertSQL(rows: rowsPerStatement)

    /// Writes a commit's points: interns their names, then inserts them sorted by (name, step), the table's key
    /// order, so each row lands at the end of its series' run of the B-tree. Values are bound straight to the
    /// prepared statement (no argument array per row): a commit of a million points spends its time in SQLite.
    /// A step a series already has in the run -> ``StoreError/badCommit(cell:reason:)``.
    static func insert(_ db: Database, run: Int64, commit: Int64, cell: Int, points: [MetricPoint]) throws {
        guard !points.isEmpty else { return }
        let ids = try intern(db, Set(points.map(\.name)).sorted())
        let keys = points.map { Key(name: ids[$0.name] ?? 0, step: $0.step) }
        let order = keys.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
        // The same (name, step) twice sorts side by side; name the one a reader of the cell meets first.
        var repeated: Int?
        for (a, b) in zip(order, order.dropFirst()) where keys[a] == keys[b] { repeated = min(repeated ?? b, b) }
        if let repeated {
            let point = points[repeated]
            throw StoreError.badCommit(cell: cell, reason: "metric '\(point.name)' has step \(point.step) twice")
        }
        do {
            var start = 0
            while start < order.count {
                let rows = min(rowsPerStatement, order.count - start)
                // Full statements reuse one cached statement; the last, shorter one is prepared once.
                let statement =
                    rows == rowsPerStatement
                    ? try db.cachedStatement(sql: fullInsert) : try db.makeStatement(sql: Self.insertSQL(rows: rows))
                let raw = statement.sqliteStatement
                sqlite3_reset(raw)
                for (row, index) in order[start..<(start + rows)].enumerated() {
                    let first = Int32(5 * row)
                    let value = points[index].value
                    sqlite3_bind_int64(raw, first + 1, run)
                    sqlite3_bind_int64(raw, first + 2, keys[index].name)
                    sqlite3_bind_int64(raw, first + 3, Int64(keys[index].step))
                    sqlite3_bind_int64(raw, first + 4, commit)
                    if value.isNaN {
                        sqlite3_bind_null(raw, first + 5)
                    } else {
                        sqlite3_bind_double(raw, first + 5, value)
                    }
                }
                let code = sqlite3_step(raw)
                sqlite3_reset(raw)
                guard code == SQLITE_DONE else {
                    throw DatabaseError(
                        resultCode: ResultCode(rawValue: code),
                        message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                start += rows
            }
            try count(db, run: run, keys: order.map { keys[$0] })
        } catch let error as DatabaseError where error.resultCode.primaryResultCode == .SQLITE_CONSTRAINT {
            let existing = try points.first { point in
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM metrics WHERE run_id = ? AND name = ? AND step = ?",
                    arguments: [run, point.name, point.step]) ?? false
            }
            let which = existing.map { "metric '\($0.name)' already has step \($0.step) in run \(run)" }
            throw StoreError.badCommit(cell: cell, reason: which ?? (error.message ?? "\(error)"))
        }
    }

    /// A point's place in `metric_points` within its run: the interned name, then the step.
    private struct Key: Comparable {
        var name: Int64
        var step: Int

        static func < (a: Key, b: Key) -> Bool { (a.name, a.step) < (b.name, b.step) }
    }

    /// Adds the commit's points, `sorted` by key, to each series' row of `metric_series` (its count and last step).
    private static func count(_ db: Database, run: Int64, keys sorted: [Key]) throws {
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO metric_series (run_id, name_id, points, last_step) VALUES (?, ?, ?, ?)
                ON CONFLICT (run_id, name_id) DO UPDATE
                SET points = points + excluded.points, last_step = max(last_step, excluded.last_step)
                """)
        var start = 0
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count && sorted[end].name == sorted[start].name { end += 1 }
            try upsert.execute(arguments: [run, sorted[start].name, end - start, sorted[end - 1].step])
            start = end
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

    /// Points of a run ordered by name, then step; NULL values read back as NaN. One series is read through the
    /// (run, name, step) key alone: its name is resolved first, so no other series' rows are visited.
    static func points(_ db: Database, run: Int64, name: String?) throws -> [(name: String, step: Int, value: Double)] {
        if let name {
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM metric_names WHERE name = ?", arguments: [name])
            else { return [] }
            return try Row.fetchAll(
                db, sql: "SELECT step, value FROM metric_points WHERE run_id = ? AND name_id = ? ORDER BY step",
                arguments: [run, id]
            ).map { row in
                let value: Double? = row[1]
                return (name: name, step: row[0], value: value ?? .nan)
            }
        }
        return try Row.fetchAll(
            db,
            sql: """
                SELECT n.name, p.step, p.value FROM metric_points p JOIN metric_names n ON n.id = p.name_id
                WHERE p.run_id = ? ORDER BY n.name, p.step
                """, arguments: [run]
        ).map { row in
            let value: Double? = row[2]
            return (name: row[0], step: row[1], value: value ?? .nan)
        }
    }
}
