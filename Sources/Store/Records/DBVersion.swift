import GRDB

/// A row of `versions`: an object's state at a commit. Content lives in `version_tensors` or `feedback`.
struct DBVersion: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "versions"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let id = Column("id")
        static let objectId = Column("object_id")
        static let version = Column("version")
        static let commitId = Column("commit_id")
        static let contentHash = Column("content_hash")
    }

    var id: Int64?
    var objectId: Int64
    var version: Int
    var commitId: Int64
    var kind: String
    var contentHash: String
    var config: String
    var bytesWritten: Int
    var rows: Int?
    var note: String?

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    static func latest(_ db: Database, object: Int64) throws -> DBVersion? {
        try DBVersion.filter(Columns.objectId == object).order(Columns.version.desc).fetchOne(db)
    }

    /// The given version number, or the latest when nil; `StoreError.unknownVersion` when it does not exist.
    static func existing(_ db: Database, object: DBObject, version: Int?) throws -> DBVersion {
        guard let objectID = object.id, let latest = try latest(db, object: objectID) else {
            throw StoreError.unknownVersion(run: object.runId, object: object.name, version: version ?? 1, latest: 0)
        }
        guard let version, version != latest.version else { return latest }
        guard let found = try DBVersion.filter(Columns.objectId == objectID && Columns.version == version).fetchOne(db)
        else {
            throw StoreError.unknownVersion(
                run: object.runId, object: object.name, version: version, latest: latest.version)
        }
        return found
    }
}
