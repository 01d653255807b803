import GRDB

/// A row of `commits`: the atomic effect of one successful cell, or of a CLI rollback (no cell, a note).
struct DBCommit: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "commits"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let id = Column("id")
        static let runId = Column("run_id")
        static let cellId = Column("cell_id")
    }

    var id: Int64?
    var runId: Int64
    var cellId: Int64?
    var note: String?
    var createdAt: String

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
