import Foundation
import GRDB

/// A row of `feedback`: one preference pair, alive from version `added_in` until `removed_in` (exclusive).
struct DBFeedback: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "feedback"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let id = Column("id")
        static let objectId = Column("object_id")
        static let uid = Column("uid")
        static let removedIn = Column("removed_in")
    }

    var id: Int64?
    var objectId: Int64
    var uid: Int64
    var prompt: Int
    var chosen: Data
    var rejected: Data
    var annotator: String
    /// The UInt64 seed's bit pattern.
    var seed: Int64
    var rowHash: String
    var addedIn: Int64
    var removedIn: Int64?
    /// A text preference's words (all three set or all nil) and its sampling settings (v13).
    var promptText: String?
    var chosenText: String?
    var rejectedText: String?
    var sampling: String?

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// Bytes of vector data this row adds to the store.
    var byteCount: Int { chosen.count + rejected.count }

    /// An alive row's id, uid and hash: what a commit compares incoming rows with, and what a rollback may remove.
    struct Key {
        var id: Int64
        var uid: Int64
        var rowHash: String
    }

    /// The keys (id, uid, hash) of the rows alive now, ordered by uid, without reading their vectors.
    static func aliveKeys(_ db: Database, object: Int64) throws -> [Key] {
        var keys: [Key] = []
        let rows = try Row.fetchCursor(
            db, sql: "SELECT id, uid, row_hash FROM feedback WHERE object_id = ? AND removed_in IS NULL ORDER BY uid",
            arguments: [object])
        while let row = try rows.next() {
            keys.append(Key(id: row[0], uid: row[1], rowHash: row[2]))
        }
        return keys
    }

    /// Inserts new rows with one prepared statement: what `insert(_:)` of a record writes, without encoding a
    /// record per row (a commit may add 100,000 rows).
    struct Insert {
        private let statement: Statement

        init(_ db: Database) throws {
            statement = try db.cachedStatement(
                sql: """
                    INSERT INTO feedback (object_id, uid, prompt, chosen, rejected, annotator, seed, row_hash, added_in,
                                          removed_in, prompt_text, chosen_text, rejected_text, sampling)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)
                    """)
        }

        func execute(_ row: PreparedDataset.Row, object: Int64, addedIn version: Int64) throws {
            statement.setUncheckedArguments([
                object, row.uid, row.prompt, row.chosen, row.rejected, row.annotator, Int64(bitPattern: row.seed),
                row.rowHash, version, row.text?.prompt, row.text?.chosen, row.text?.rejected, row.text?.sampling,
            ])
            try statement.execute()
        }
    }

    /// Rows alive at version number `version`: added at or before it, not removed at or before it; ordered by uid.
    static func alive(_ db: Database, object: Int64, version: Int) throws -> [DBFeedback] {
        try DBFeedback.fetchAll(
            db,
            sql: """
                SELECT f.* FROM feedback f
                JOIN versions va ON va.id = f.added_in
                LEFT JOIN versions vr ON vr.id = f.removed_in
                WHERE f.object_id = ? AND va.version <= ? AND (vr.version IS NULL OR vr.version > ?)
                ORDER BY f.uid, f.id
                """, arguments: [object, version, version])
    }

    static func markRemoved(_ db: Database, ids: [Int64], in version: Int64) throws {
        let statement = try db.cachedStatement(sql: "UPDATE feedback SET removed_in = ? WHERE id = ?")
        for id in ids {
            try statement.execute(arguments: [version, id])
        }
    }

    /// The public row, or nil when the stored vectors are not whole f32 arrays.
    var row: FeedbackRow? {
        guard let chosen = FloatBytes.decode(chosen), let rejected = FloatBytes.decode(rejected) else { return nil }
        return FeedbackRow(
            uid: uid, prompt: prompt, chosen: chosen, rejected: rejected, annotator: annotator,
            seed: UInt64(bitPattern: seed), text: text)
    }

    /// The row's words, when all three are stored.
    var text: FeedbackRow.Text? {
        guard let promptText, let chosenText, let rejectedText else { return nil }
        return FeedbackRow.Text(prompt: promptText, chosen: chosenText, rejected: rejectedText, sampling: sampling)
    }
}
