import Foundation
import GRDB

extension Migrations {
    /// Bindings stored by content, like tensors: a value binding's JSON lives once in `blobs` (keyed by its SHA-256)
    /// and the commit's row in `commit_bindings` points at it, so a variable left unchanged costs one small row at the
    /// next commit instead of a copy of its value (`xs = range(5000000)` then ten trivial cells wrote ten copies of
    /// its 40 MB before).
    ///
    /// `bindings` becomes a view with its old columns (`commit_id`, `name`, `kind`, `value`, `version_id`), so
    /// queries written against the table keep working. The existing values move into `blobs`; the space the old
    /// table held is reused by later writes (`rlhf gc --vacuum` gives it back to the file system).
    static func v7BindingValues(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE commit_bindings (
                    commit_id INTEGER NOT NULL REFERENCES commits(id),
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('value', 'object')),
                    object TEXT,
                    blob_hash TEXT REFERENCES blobs(hash),
                    version_id INTEGER REFERENCES versions(id),
                    PRIMARY KEY (commit_id, name),
                    CHECK ((kind = 'value') = (blob_hash IS NOT NULL)),
                    CHECK ((kind = 'object') = (object IS NOT NULL))
                ) WITHOUT ROWID;
                CREATE INDEX commit_bindings_blob ON commit_bindings(blob_hash);
                CREATE INDEX commit_bindings_version ON commit_bindings(version_id);
                """)
        let rows = try Row.fetchCursor(
            db, sql: "SELECT commit_id, name, kind, value, version_id FROM bindings ORDER BY commit_id, name")
        while let row = try rows.next() {
            let kind: String = row["kind"]
            let value: String? = row["value"]
            var blobHash: String?
            if kind == "value" {
                let data = Data((value ?? "null").utf8)
                let hash = ContentHash.blob(data)
                _ = try DBBlob(hash: hash, size: data.count, data: data).insertIfMissing(db)
                blobHash = hash
            }
            try db.execute(
                sql: """
                    INSERT INTO commit_bindings (commit_id, name, kind, object, blob_hash, version_id)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    row["commit_id"], row["name"], kind, kind == "object" ? value ?? "" : nil, blobHash,
                    row["version_id"],
                ])
        }
        try db.execute(
            sql: """
                DROP TABLE bindings;
                CREATE VIEW bindings AS
                SELECT b.commit_id, b.name, b.kind,
                       CASE b.kind WHEN 'value' THEN CAST(v.data AS TEXT) ELSE b.object END AS value, b.version_id
                FROM commit_bindings b LEFT JOIN blobs v ON v.hash = b.blob_hash;
                """)
    }
}
