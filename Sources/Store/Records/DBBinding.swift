import GRDB

/// A row of `bindings`: what a variable name held after a commit — a JSON value or a pinned object version.
struct DBBinding: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "bindings"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let commitId = Column("commit_id")
        static let name = Column("name")
    }

    var commitId: Int64
    var name: String
    /// `value` or `object`.
    var kind: String
    var value: String?
    var versionId: Int64?

    static func all(_ db: Database, commit: Int64) throws -> [DBBinding] {
        try DBBinding.filter(Columns.commitId == commit).order(Columns.name).fetchAll(db)
    }
}
