import Foundation
import GRDB

/// A row of `commit_bindings`: what a variable name held after a commit — a JSON value (stored once in `blobs`, by
/// its SHA-256) or a pinned object version.
struct DBBinding: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "commit_bindings"
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
    /// An object binding's object name.
    var object: String?
    /// A value binding's JSON, as the key of its blob.
    var blobHash: String?
    var versionId: Int64?

    /// A value binding: stores the JSON's blob unless an equal value is stored already.
    static func value(_ db: Database, commit: Int64, name: String, json: String) throws -> DBBinding {
        let data = Data(json.utf8)
        let hash = ContentHash.blob(data)
        _ = try DBBlob(hash: hash, size: data.count, data: data).insertIfMissing(db)
        return DBBinding(commitId: commit, name: name, kind: "value", object: nil, blobHash: hash, versionId: nil)
    }

    static func all(_ db: Database, commit: Int64) throws -> [DBBinding] {
        try DBBinding.filter(Columns.commitId == commit).order(Columns.name).fetchAll(db)
    }

    /// A value binding's JSON text; nil when its blob is missing or not UTF-8 (a damaged store).
    func json(_ db: Database) throws -> String? {
        guard let blobHash,
            let data = try Data.fetchOne(
                db, sql: "SELECT data FROM blobs WHERE hash = ?",
                arguments: [blobHash])
        else { return nil }
        return String(data: data, encoding: .utf8)
    }
}
