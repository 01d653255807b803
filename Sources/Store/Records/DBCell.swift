import GRDB

/// A row of `cells`: one executed cell, committed (`ok`, with `commit_id`) or `failed` (with `error`).
struct DBCell: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "cells"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let id = Column("id")
        static let runId = Column("run_id")
        static let commitId = Column("commit_id")
        static let durationMs = Column("duration_ms")
    }

    var id: Int64?
    var runId: Int64
    var ordinal: Int
    var key: String
    var title: String
    var source: String
    var status: String
    var output: String
    var error: String?
    var durationMs: Double
    var commitId: Int64?

    init(run: Int64, cell: CellRecord, status: CellStatus, output: String, error: String?, durationMs: Double) {
        self.runId = run
        self.ordinal = cell.ordinal
        self.key = cell.key
        self.title = cell.title
        self.source = cell.source
        self.status = status.rawValue
        self.output = output
        self.error = error
        self.durationMs = durationMs
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// Cells of a run in execution order.
    static func all(_ db: Database, run: Int64) throws -> [DBCell] {
        try DBCell.filter(Columns.runId == run).order(Columns.id).fetchAll(db)
    }

    /// The cell as listed; its status is read strictly (unknown -> ``StoreError/unknownStatus(row:value:)``).
    func info() throws -> CellInfo {
        guard let cellStatus = CellStatus(rawValue: status) else {
            throw StoreError.unknownStatus(row: "cell row \(id ?? 0)", value: status)
        }
        return CellInfo(
            ordinal: ordinal, key: key, title: title, source: source, status: cellStatus, durationMs: durationMs,
            output: output, error: error, commit: commitId)
    }
}
