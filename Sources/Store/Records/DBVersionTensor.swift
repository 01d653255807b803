import Foundation
import GRDB

/// A row of `version_tensors`: one entry of a checkpoint version's manifest (name, shape, dtype, blob hash).
struct DBVersionTensor: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "version_tensors"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let versionId = Column("version_id")
        static let name = Column("name")
        static let blobHash = Column("blob_hash")
    }

    var versionId: Int64
    var name: String
    /// JSON array, e.g. `[64,100]`.
    var shape: String
    var dtype: String
    var blobHash: String

    /// A version's manifest, sorted by tensor name.
    static func manifest(_ db: Database, version: Int64) throws -> [DBVersionTensor] {
        try DBVersionTensor.filter(Columns.versionId == version).order(Columns.name).fetchAll(db)
    }

    /// Points a new version at the same blobs as an older one (rollback).
    static func copyManifest(_ db: Database, from source: Int64, to target: Int64) throws {
        try db.execute(
            sql: """
                INSERT INTO version_tensors (version_id, name, shape, dtype, blob_hash)
                SELECT ?, name, shape, dtype, blob_hash FROM version_tensors WHERE version_id = ?
                """, arguments: [target, source])
    }

    /// A version's tensors with their values, sorted by name; a blob that does not match its shape is corruption.
    static func tensors(_ db: Database, version: Int64, path: String) throws -> [StoredTensor] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT t.name, t.shape, t.dtype, b.data FROM version_tensors t
                JOIN blobs b ON b.hash = t.blob_hash
                WHERE t.version_id = ? ORDER BY t.name
                """, arguments: [version])
        return try rows.map { row in
            let name: String = row["name"]
            let shapeText: String = row["shape"]
            let data: Data = row["data"]
            guard let shape = TensorShape.decode(shapeText) else {
                throw StoreError.corrupt(path, "tensor '\(name)' has an unreadable shape \(shapeText)")
            }
            guard let values = FloatBytes.decode(data) else {
                throw StoreError.corrupt(path, "tensor '\(name)' has \(data.count) bytes, not a whole number of f32")
            }
            let tensor = StoredTensor(name: name, shape: shape, values: values)
            guard tensor.expectedCount == values.count else {
                throw StoreError.corrupt(path, "tensor '\(name)' has \(values.count) values for shape \(shapeText)")
            }
            return tensor
        }
    }
}
