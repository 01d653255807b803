import Foundation
import GRDB

/// A row of `blobs`: the raw little-endian f32 bytes of one tensor, keyed by their SHA-256, stored once.
struct DBBlob: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "blobs"

    enum Columns {
        static let hash = Column("hash")
        static let size = Column("size")
        static let data = Column("data")
    }

    var hash: String
    var size: Int
    var data: Data

    /// Inserts the blob unless a blob with its hash exists; returns the bytes actually written (0 or `size`).
    func insertIfMissing(_ db: Database) throws -> Int {
        // Looked up first: an unchanged value is often large (a 40 MB list), and INSERT OR IGNORE would copy it.
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM blobs WHERE hash = ?", arguments: [hash]) == true { return 0 }
        try db.execute(
            sql: "INSERT OR IGNORE INTO blobs (hash, size, data) VALUES (?, ?, ?)", arguments: [hash, size, data])
        return db.changesCount > 0 ? size : 0
    }
}
