import Foundation
import GRDB

/// A row of `artifacts`: one file a cell produced, pointing at its content in `blobs`. Never updated.
struct DBArtifact: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "artifacts"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: Int64?
    var runId: Int64
    var commitId: Int64
    var position: Int
    var name: String
    var mediaType: String
    var blobHash: String
    var text: String?

    /// Writes the artifacts of one commit (their bytes into `blobs` unless already there); returns bytes written.
    static func write(_ db: Database, _ artifacts: [Artifact], run: Int64, commit: Int64) throws -> Int {
        var written = 0
        for (index, artifact) in artifacts.enumerated() {
            let hash = ContentHash.blob(artifact.data)
            written += try DBBlob(hash: hash, size: artifact.data.count, data: artifact.data).insertIfMissing(db)
            try DBArtifact(
                id: nil, runId: run, commitId: commit, position: index + 1, name: artifact.name,
                mediaType: artifact.mediaType, blobHash: hash, text: artifact.text
            ).insert(db)
        }
        return written
    }

    /// A run's artifacts in commit order, then the order each cell produced them.
    static func all(_ db: Database, run: Int64) throws -> [StoredArtifact] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT a.run_id, a.commit_id, a.position, a.name, a.media_type, a.blob_hash, a.text, b.data, c.ordinal, c.key
                FROM artifacts a
                JOIN blobs b ON b.hash = a.blob_hash
                JOIN commits co ON co.id = a.commit_id
                LEFT JOIN cells c ON c.id = co.cell_id
                WHERE a.run_id = ?
                ORDER BY a.commit_id, a.position
                """, arguments: [run]
        ).map { row in
            StoredArtifact(
                run: row["run_id"], commit: row["commit_id"], cell: row["ordinal"], cellKey: row["key"],
                position: row["position"], name: row["name"], mediaType: row["media_type"],
                hash: row["blob_hash"], data: row["data"], text: row["text"])
        }
    }
}
