import GRDB

/// A row of `runs`: one execution of a notebook or one REPL session.
struct DBRun: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "runs"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let id = Column("id")
        static let status = Column("status")
        static let finishedAt = Column("finished_at")
    }

    var id: Int64?
    var notebook: String?
    var source: String
    var parameters: String
    var status: String
    var startedAt: String
    var finishedAt: String?

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The newest run id, for "unknown run '42' (latest is 17)".
    static func latestID(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT max(id) FROM runs")
    }

    /// The run, or `StoreError.unknownRun` naming the latest run. (Through a statement prepared once per connection:
    /// a page asks this for each run it shows.)
    static func existing(_ db: Database, id: Int64) throws -> DBRun {
        let statement = try db.cachedStatement(sql: "SELECT * FROM runs WHERE id = ?")
        guard let run = try DBRun.fetchOne(statement, arguments: [id]) else {
            throw StoreError.unknownRun(id, latest: try latestID(db))
        }
        return run
    }

    /// The run, which must still be running to accept cells.
    static func running(_ db: Database, id: Int64) throws -> DBRun {
        let run = try existing(db, id: id)
        let status = try run.runStatus()
        guard status == .running else { throw StoreError.runNotRunning(id, status: status) }
        return run
    }

    /// The stored status, read strictly: a value no ``RunStatus`` has is an error naming it, never a guess.
    func runStatus() throws -> RunStatus {
        try RunStatus(stored: status, run: id ?? 0)
    }
}

extension RunStatus {
    /// `text` as stored in `runs.status` for run `run`; unknown -> ``StoreError/unknownStatus(row:value:)``.
    init(stored text: String, run: Int64) throws {
        guard let status = RunStatus(rawValue: text) else {
            throw StoreError.unknownStatus(row: "run \(run)", value: text)
        }
        self = status
    }
}
