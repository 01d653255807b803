import Foundation
import GRDB

/// The store's commits as one hash chain, as git chains its commits: each commit's `hash` covers its parent's hash
/// (the previous commit of the store, by id; "" for the first) and its ``CommitParts``. Changing anything a commit
/// holds, or removing or reordering commits, changes every later hash, so `rlhf check` can name the first commit
/// whose content or place no longer matches.
///
/// `commits.parts` keeps the seven part hashes and `commits.hash` the chained hash; both are written inside the
/// transaction that writes the commit. `rlhf gc` re-links the commits after the ones it purges (from their stored
/// parts), so the head changes when runs are purged, as a rewritten git history does.
enum CommitChain {
    /// The chained hash: tag, parent hash, then each part's name and hash in ``CommitParts/names`` order.
    static func link(parent: String, parts: CommitParts) -> String {
        var text = ContentHash.Canonical(tag: "rlhf-commit-v1")
        text.field(parent)
        for (name, hash) in zip(CommitParts.names, parts.hashes) {
            text.field(name)
            text.field(hash)
        }
        return text.hash
    }

    /// The hash of the commit before `commit` ("" when it is the first).
    static func parentHash(_ db: Database, before commit: Int64) throws -> String {
        try String.fetchOne(
            db, sql: "SELECT hash FROM commits WHERE id < ? ORDER BY id DESC LIMIT 1", arguments: [commit]) ?? ""
    }

    /// Computes and stores the parts and hash of `commit`, which must be the newest commit (called last in the
    /// transaction that writes it). `metrics` are the points it measured.
    /// `addedFeedback`: see ``CommitParts/load(_:commit:metrics:addedFeedback:)``.
    static func seal(
        _ db: Database, commit: Int64, metrics: [CommitParts.Point], addedFeedback: [String]? = nil
    ) throws {
        let parts = try CommitParts.load(db, commit: commit, metrics: metrics, addedFeedback: addedFeedback)
        let hash = link(parent: try parentHash(db, before: commit), parts: parts)
        try db.execute(
            sql: "UPDATE commits SET parts = ?, hash = ? WHERE id = ?", arguments: [parts.text, hash, commit])
    }

    /// Recomputes and stores the parts of `commits` from what they hold now (after `rlhf gc --force` unlinked them
    /// from a purged run); ``relink(_:from:)`` must then re-link the chain from the first of them.
    static func reseal(_ db: Database, commits: [Int64]) throws {
        for commit in commits {
            let points = try Row.fetchAll(
                db,
                sql: """
                    SELECT n.name, p.step, p.value FROM metric_points p JOIN metric_names n ON n.id = p.name_id
                    WHERE p.commit_id = ? AND p.run_id = (SELECT run_id FROM commits WHERE id = ?)
                    """, arguments: [commit, commit]
            ).map { CommitParts.Point(name: String.fromDatabaseValue($0[0]) ?? "", step: $0[1], value: $0[2]) }
            let parts = try CommitParts.load(db, commit: commit, metrics: points)
            try db.execute(sql: "UPDATE commits SET parts = ? WHERE id = ?", arguments: [parts.text, commit])
        }
    }

    /// Recomputes the hashes of every commit from id `first` on, from their stored parts (after `rlhf gc` removed
    /// commits before them).
    static func relink(_ db: Database, from first: Int64) throws {
        var parent = try parentHash(db, before: first)
        let sql = "SELECT id, parts FROM commits WHERE id >= ? ORDER BY id"
        for row in try Row.fetchAll(db, sql: sql, arguments: [first]) {
            guard let id = Int64.fromDatabaseValue(row["id"]) else { continue }
            guard let text = String.fromDatabaseValue(row["parts"]), let parts = CommitParts(text: text) else {
                throw StoreError.database("", "commit \(id) has no readable parts; run `rlhf check`")
            }
            parent = link(parent: parent, parts: parts)
            try db.execute(sql: "UPDATE commits SET hash = ? WHERE id = ?", arguments: [parent, id])
        }
    }

    /// Every commit's metric points, in commit order, one commit at a time (one pass over all points, so verifying
    /// the chain never scans a run's points once per commit).
    struct MetricsByCommit {
        private let cursor: RowCursor
        private var pending: Row?

        init(_ db: Database) throws {
            cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT p.commit_id, n.name, p.step, p.value FROM metric_points p
                    JOIN metric_names n ON n.id = p.name_id ORDER BY p.commit_id, n.name, p.step
                    """)
            pending = try cursor.next()?.copy()
        }

        /// The points of `commit`; commits must be asked for in increasing order.
        mutating func points(of commit: Int64) throws -> [CommitParts.Point] {
            var points: [CommitParts.Point] = []
            // Decoded without trusting types: a damaged value must be hashed (and differ), not crash the check.
            while let row = pending, let id = Int64.fromDatabaseValue(row["commit_id"]), id <= commit {
                if id == commit {
                    points.append(
                        CommitParts.Point(
                            name: String.fromDatabaseValue(row["name"]) ?? "", step: row["step"], value: row["value"]))
                }
                pending = try cursor.next()?.copy()
            }
            return points
        }
    }
}
