import GRDB

/// A row of `metrics`: one scalar at one step, written with the commit of the cell that measured it. Never updated.
struct DBMetric: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "metrics"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let runId = Column("run_id")
        static let name = Column("name")
        static let step = Column("step")
        static let value = Column("value")
    }

    var runId: Int64
    var commitId: Int64
    var name: String
    var step: Int
    /// NULL for NaN: SQLite cannot store NaN in a REAL column.
    var value: Double?

    init(run: Int64, commit: Int64, point: MetricPoint) {
        runId = run
        commitId = commit
        name = point.name
        step = point.step
        value = point.value.isNaN ? nil : point.value
    }

    /// Points of a run ordered by name, step, then insertion; NULL values read back as NaN.
    static func points(_ db: Database, run: Int64, name: String?) throws -> [(name: String, step: Int, value: Double)] {
        var sql = "SELECT name, step, value FROM metrics WHERE run_id = ?"
        var arguments: StatementArguments = [run]
        if let name {
            sql += " AND name = ?"
            arguments += [name]
        }
        sql += " ORDER BY name, step, rowid"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let value: Double? = row["value"]
            return (name: row["name"], step: row["step"], value: value ?? .nan)
        }
    }
}
