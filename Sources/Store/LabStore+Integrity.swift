import Foundation
import GRDB

extension LabStore {
    // MARK: Crash recovery

    /// Marks `interrupted` every run left `running` whose process is gone (see ``RunLocks``); returns their ids.
    /// Called when the store is opened for writing.
    @discardableResult
    static func markInterruptedRuns(_ writer: any DatabaseWriter, path: String) throws -> [Int64] {
        let running = try writer.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM runs WHERE status = 'running' ORDER BY id")
        }
        let abandoned = running.filter { !RunLocks.shared.isHeld(store: path, run: $0) }
        guard !abandoned.isEmpty else { return [] }
        try writer.write { db in
            for run in abandoned {
                // The run ended, at the latest, with its last commit (or when it started, if it committed nothing).
                try db.execute(
                    sql: """
                        UPDATE runs SET status = 'interrupted',
                            finished_at = coalesce((SELECT max(created_at) FROM commits WHERE run_id = runs.id), started_at)
                        WHERE id = ? AND status = 'running'
                        """, arguments: [run])
            }
        }
        return abandoned
    }

    /// Whether a run marked `running` still has a live writer (this process or another).
    func hasLiveWriter(run: Int64) -> Bool {
        RunLocks.shared.isHeld(store: path, run: run)
    }

    // MARK: rlhf check

    /// Verifies the whole store and returns every problem found (empty when the store is sound):
    /// SQLite's integrity check, its foreign-key check, every blob re-hashed against its SHA-256 and its size,
    /// every manifest entry pointing at an existing blob of the right size for its shape, every checkpoint's content
    /// hash recomputed from its manifest, and every feedback row's hash recomputed from its content.
    ///
    /// ```swift
    /// let problems = try LabStore.openReadOnly(path: "store/lab.sqlite").check()   // [] when sound
    /// ```
    public func check() throws -> [IntegrityProblem] {
        try read { db in
            var problems: [IntegrityProblem] = []
            for message in try String.fetchAll(db, sql: "PRAGMA integrity_check") where message != "ok" {
                problems.append(IntegrityProblem(location: "sqlite", message: message))
            }
            for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                let table: String = row[0]
                let rowid: Int64? = row[1]
                let parent: String = row[2]
                problems.append(IntegrityProblem(
                    location: "table \(table) row \(rowid.map(String.init) ?? "?")",
                    message: "points at a missing row of \(parent)"))
            }
            problems += try checkBlobs(db)
            problems += try checkManifests(db)
            problems += try checkFeedback(db)
            problems += try checkLinks(db)
            return problems
        }
    }

    /// Where a blob is used, for messages: `run 1 · policy@2 · tensor layer1.weight` (the first user).
    private func blobUser(_ db: Database, hash: String) throws -> String? {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT o.run_id, o.name, v.version, t.name AS tensor FROM version_tensors t
                JOIN versions v ON v.id = t.version_id JOIN objects o ON o.id = v.object_id
                WHERE t.blob_hash = ? ORDER BY v.id, t.name LIMIT 1
                """, arguments: [hash])
        return row.map { r in
            let run: Int64 = r["run_id"]
            let name: String = r["name"]
            let version: Int = r["version"]
            let tensor: String = r["tensor"]
            return "run \(run) · \(name)@\(version) · tensor \(tensor)"
        }
    }

    private func checkBlobs(_ db: Database) throws -> [IntegrityProblem] {
        var problems: [IntegrityProblem] = []
        let cursor = try Row.fetchCursor(db, sql: "SELECT hash, size, data FROM blobs ORDER BY hash")
        var bad: [(hash: String, message: String)] = []
        while let row = try cursor.next() {
            let hash: String = row["hash"]
            let size: Int = row["size"]
            let data: Data = row["data"]
            let actual = ContentHash.blob(data)
            if actual != hash {
                bad.append((hash, "content hashes to \(actual.prefix(12)), not \(hash.prefix(12))"))
            } else if data.count != size {
                bad.append((hash, "holds \(data.count) bytes but records size \(size)"))
            }
        }
        for entry in bad {
            let user = try blobUser(db, hash: entry.hash)
            problems.append(IntegrityProblem(
                location: user ?? "blob \(entry.hash.prefix(12))",
                message: "blob \(entry.hash.prefix(12)) " + entry.message))
        }
        return problems
    }

    private func checkManifests(_ db: Database) throws -> [IntegrityProblem] {
        var problems: [IntegrityProblem] = []
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT o.run_id, o.name AS object, v.id AS version_id, v.version, v.kind, v.config, v.content_hash,
                       t.name AS tensor, t.shape, t.blob_hash, b.size
                FROM versions v JOIN objects o ON o.id = v.object_id
                JOIN version_tensors t ON t.version_id = v.id
                LEFT JOIN blobs b ON b.hash = t.blob_hash
                WHERE o.kind = 'checkpoint'
                ORDER BY v.id, t.name
                """)
        var manifests: [(location: String, kind: String, config: String, hash: String,
                         entries: [(name: String, shape: [Int], blobHash: String)])] = []
        var lastVersion: Int64?
        for row in rows {
            let run: Int64 = row["run_id"]
            let object: String = row["object"]
            let versionID: Int64 = row["version_id"]
            let version: Int = row["version"]
            let tensor: String = row["tensor"]
            let shapeText: String = row["shape"]
            let blobHash: String = row["blob_hash"]
            let size: Int? = row["size"]
            let location = "run \(run) · \(object)@\(version)"
            if versionID != lastVersion {
                manifests.append((location, row["kind"], row["config"], row["content_hash"], []))
                lastVersion = versionID
            }
            guard let shape = TensorShape.decode(shapeText) else {
                problems.append(IntegrityProblem(
                    location: "\(location) · tensor \(tensor)", message: "unreadable shape \(shapeText)"))
                continue
            }
            manifests[manifests.count - 1].entries.append((tensor, shape, blobHash))
            guard let size else {
                problems.append(IntegrityProblem(
                    location: "\(location) · tensor \(tensor)",
                    message: "its blob \(blobHash.prefix(12)) is missing"))
                continue
            }
            let expected = shape.reduce(1, *) * MemoryLayout<Float>.size
            if size != expected {
                problems.append(IntegrityProblem(
                    location: "\(location) · tensor \(tensor)",
                    message: "its blob holds \(size) bytes; shape \(shapeText) needs \(expected)"))
            }
        }
        for manifest in manifests {
            let actual = ContentHash.checkpoint(kind: manifest.kind, config: manifest.config, manifest: manifest.entries)
            if actual != manifest.hash {
                problems.append(IntegrityProblem(
                    location: manifest.location,
                    message: "content hash \(manifest.hash.prefix(12)) does not match its manifest (\(actual.prefix(12)))"))
            }
        }
        return problems
    }

    private func checkFeedback(_ db: Database) throws -> [IntegrityProblem] {
        var problems: [IntegrityProblem] = []
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT o.run_id, o.name, f.id, f.uid, f.prompt, f.chosen, f.rejected, f.annotator, f.seed, f.row_hash
                FROM feedback f JOIN objects o ON o.id = f.object_id ORDER BY f.id
                """)
        while let row = try cursor.next() {
            let run: Int64 = row["run_id"]
            let name: String = row["name"]
            let uid: Int64 = row["uid"]
            let seed: Int64 = row["seed"]
            let stored: String = row["row_hash"]
            let actual = ContentHash.row(
                prompt: row["prompt"], chosen: row["chosen"], rejected: row["rejected"], annotator: row["annotator"],
                seed: UInt64(bitPattern: seed))
            if actual != stored {
                problems.append(IntegrityProblem(
                    location: "run \(run) · \(name) · row uid \(uid)",
                    message: "content hashes to \(actual.prefix(12)), not \(stored.prefix(12))"))
            }
        }
        return problems
    }

    /// Rows that point at rows of another run or object: a version committed by another run, a feedback row added
    /// or removed by a version of another dataset, or removed before it was added.
    private func checkLinks(_ db: Database) throws -> [IntegrityProblem] {
        var problems: [IntegrityProblem] = []
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT o.run_id, o.name, v.version, co.run_id AS commit_run FROM versions v
                JOIN objects o ON o.id = v.object_id JOIN commits co ON co.id = v.commit_id
                WHERE co.run_id != o.run_id ORDER BY v.id
                """)
        {
            let (run, name, version, other): (Int64, String, Int, Int64) = (row[0], row[1], row[2], row[3])
            problems.append(IntegrityProblem(
                location: "run \(run) · \(name)@\(version)", message: "was committed by run \(other)"))
        }
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT o.run_id, o.name, f.uid, va.object_id != f.object_id AS foreign_add,
                       coalesce(vr.object_id != f.object_id, 0) AS foreign_remove,
                       coalesce(vr.version < va.version, 0) AS backwards
                FROM feedback f JOIN objects o ON o.id = f.object_id
                JOIN versions va ON va.id = f.added_in LEFT JOIN versions vr ON vr.id = f.removed_in
                WHERE va.object_id != f.object_id OR vr.object_id != f.object_id OR vr.version < va.version
                ORDER BY f.id
                """)
        {
            let (run, name, uid): (Int64, String, Int64) = (row[0], row[1], row[2])
            let message = (row[3] as Bool) ? "was added by a version of another object"
                : (row[4] as Bool) ? "was removed by a version of another object" : "is removed before it was added"
            problems.append(IntegrityProblem(location: "run \(run) · \(name) · row uid \(uid)", message: message))
        }
        return problems
    }

    // MARK: rlhf rm, rlhf gc

    /// Marks a run deleted: listings hide it and `rlhf gc` purges its rows and the blobs only it used.
    /// Refuses a run that is still being written and a run already deleted.
    public func removeRun(_ run: Int64) throws {
        try write { db in
            let row = try DBRun.existing(db, id: run)
            let deleted = try String.fetchOne(db, sql: "SELECT deleted_at FROM runs WHERE id = ?", arguments: [run])
            if deleted != nil { throw StoreError.runDeleted(run) }
            if row.status == RunStatus.running.rawValue && hasLiveWriter(run: run) {
                throw StoreError.runNotFinished(run)
            }
            try db.execute(sql: "UPDATE runs SET deleted_at = ? WHERE id = ?", arguments: [Timestamp.now(), run])
        }
    }

    /// Purges runs marked deleted and removes every blob no remaining version references, in one transaction.
    /// With `dryRun`, computes the same report and changes nothing.
    ///
    /// ```swift
    /// let report = try store.collectGarbage(dryRun: true)   // report.blobs, report.blobBytes
    /// ```
    public func collectGarbage(dryRun: Bool) throws -> GarbageReport {
        guard let writer else { throw StoreError.readOnlyStore(path) }
        return try Self.mapErrors(path) {
            try writer.writeWithoutTransaction { db in
                var report = GarbageReport(
                    purgedRuns: [], versions: 0, feedbackRows: 0, metricPoints: 0, blobs: 0, blobBytes: 0,
                    dryRun: dryRun)
                try db.inTransaction(.immediate) {
                    report.purgedRuns = try Int64.fetchAll(
                        db, sql: "SELECT id FROM runs WHERE deleted_at IS NOT NULL ORDER BY id")
                    for run in report.purgedRuns {
                        let counts = try Self.purge(db, run: run)
                        report.versions += counts.versions
                        report.feedbackRows += counts.feedback
                        report.metricPoints += counts.metrics
                    }
                    let garbage = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM blobs
                            WHERE hash NOT IN (SELECT blob_hash FROM version_tensors)
                              AND hash NOT IN (SELECT blob_hash FROM artifacts)
                            """)
                    if let row = garbage {
                        report.blobs = row["n"]
                        report.blobBytes = row["bytes"]
                    }
                    try db.execute(sql: """
                        DELETE FROM blobs WHERE hash NOT IN (SELECT blob_hash FROM version_tensors)
                          AND hash NOT IN (SELECT blob_hash FROM artifacts)
                        """)
                    return dryRun ? .rollback : .commit
                }
                return report
            }
        }
    }

    /// Rebuilds the database file without its free pages (SQLite's VACUUM), then empties the write-ahead log, so the
    /// space `collectGarbage` freed goes back to the file system. Returns the bytes of the database and its WAL before
    /// and after. Rewrites the whole file: it takes as long as copying the store.
    public func vacuum() throws -> (before: Int, after: Int) {
        guard let writer else { throw StoreError.readOnlyStore(path) }
        let before = fileBytes
        try Self.mapErrors(path) {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
        return (before, fileBytes)
    }

    /// Size on disk of the database and its write-ahead log.
    public var fileBytes: Int {
        [path, path + "-wal"].reduce(0) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)??.intValue ?? 0
            return total + size
        }
    }

    /// Deletes every row of one run, children before parents.
    private static func purge(_ db: Database, run: Int64) throws -> (versions: Int, feedback: Int, metrics: Int) {
        let objects = "SELECT id FROM objects WHERE run_id = ?"
        let versions = "SELECT id FROM versions WHERE object_id IN (\(objects))"
        let commits = "SELECT id FROM commits WHERE run_id = ?"
        let versionCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM (\(versions))", arguments: [run]) ?? 0
        let feedbackCount = try Int.fetchOne(
            db, sql: "SELECT count(*) FROM feedback WHERE object_id IN (\(objects))", arguments: [run]) ?? 0
        let metricCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM metric_points WHERE run_id = ?", arguments: [run]) ?? 0
        try db.execute(sql: "DELETE FROM bindings WHERE commit_id IN (\(commits))", arguments: [run])
        try db.execute(sql: "DELETE FROM metric_points WHERE run_id = ?", arguments: [run])
        try db.execute(sql: "DELETE FROM feedback WHERE object_id IN (\(objects))", arguments: [run])
        try db.execute(sql: "DELETE FROM version_tensors WHERE version_id IN (\(versions))", arguments: [run])
        try db.execute(sql: "DELETE FROM versions WHERE object_id IN (\(objects))", arguments: [run])
        try db.execute(sql: "DELETE FROM objects WHERE run_id = ?", arguments: [run])
        try db.execute(sql: "DELETE FROM artifacts WHERE run_id = ?", arguments: [run])
        try db.execute(sql: "UPDATE cells SET commit_id = NULL WHERE run_id = ?", arguments: [run])
        try db.execute(sql: "DELETE FROM commits WHERE run_id = ?", arguments: [run])
        try db.execute(sql: "DELETE FROM cells WHERE run_id = ?", arguments: [run])
        try db.execute(sql: "UPDATE runs SET parent_run = NULL WHERE parent_run = ?", arguments: [run])
        try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [run])
        return (versionCount, feedbackCount, metricCount)
    }
}
