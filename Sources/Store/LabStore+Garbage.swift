import Foundation
import GRDB

extension LabStore {
    // MARK: rlhf rm

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

    // MARK: rlhf gc

    /// Purges runs marked deleted and removes every blob nothing remaining references (tensors, artifacts, binding
    /// values), in one transaction, then re-links the commit chain after the purged commits. With `dryRun`, computes
    /// the same report and changes nothing.
    ///
    /// A deleted run that a remaining run depends on (see ``dependants(_:of:)``) is refused with
    /// ``StoreError/runHasDependants(_:dependants:)`` unless `force`: purging it would break that run's resume and
    /// replay.
    ///
    /// ```swift
    /// let report = try store.collectGarbage(dryRun: true)   // report.blobs, report.blobBytes
    /// ```
    public func collectGarbage(dryRun: Bool, force: Bool = false) throws -> GarbageReport {
        try writeWithoutTransaction { db in
            // With foreign keys enforced, deleting a commit makes SQLite look for rows still referring to it, and
            // `metric_points.commit_id` has no index (one would cost about 15 bytes a point): each purged commit
            // scanned every point of the store (9 runs of a 10 M-point store took 256 s). `purge` deletes children
            // before parents and unlinks what remaining runs point at, so enforcement is off only for this
            // transaction (SQLite ignores the pragma inside one); `rlhf check` verifies every reference afterwards.
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            var report = GarbageReport(
                purgedRuns: [], versions: 0, feedbackRows: 0, metricPoints: 0, blobs: 0, blobBytes: 0, dryRun: dryRun)
            try db.inTransaction(.immediate) {
                report.purgedRuns = try Int64.fetchAll(
                    db, sql: "SELECT id FROM runs WHERE deleted_at IS NOT NULL ORDER BY id")
                if !force {
                    for run in report.purgedRuns {
                        let dependants = try Self.dependants(db, of: run)
                        if !dependants.isEmpty { throw StoreError.runHasDependants(run, dependants: dependants) }
                    }
                }
                let firstPurgedCommit = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT min(id) FROM commits WHERE run_id IN (SELECT id FROM runs WHERE deleted_at IS NOT NULL)
                        """)
                // With --force, remaining commits lose their link to a purged run (parent, pinned version): their
                // content changes, so they are hashed again.
                let unlinked = try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT co.id FROM commits co JOIN runs r ON r.id = co.run_id
                        WHERE r.deleted_at IS NULL AND (
                            r.parent_run IN (SELECT id FROM runs WHERE deleted_at IS NOT NULL)
                            OR co.id IN (SELECT b.commit_id FROM commit_bindings b
                                         JOIN versions v ON v.id = b.version_id JOIN objects o ON o.id = v.object_id
                                         JOIN runs d ON d.id = o.run_id WHERE d.deleted_at IS NOT NULL))
                        ORDER BY co.id
                        """)
                for run in report.purgedRuns {
                    let counts = try Self.purge(db, run: run)
                    report.versions += counts.versions
                    report.feedbackRows += counts.feedback
                    report.metricPoints += counts.metrics
                }
                let unreferenced = """
                    hash NOT IN (SELECT blob_hash FROM version_tensors)
                    AND hash NOT IN (SELECT blob_hash FROM artifacts)
                    AND hash NOT IN (SELECT blob_hash FROM commit_bindings WHERE blob_hash IS NOT NULL)
                    """
                if let row = try Row.fetchOne(
                    db, sql: "SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM blobs WHERE \(unreferenced)")
                {
                    report.blobs = row["n"]
                    report.blobBytes = row["bytes"]
                }
                try db.execute(sql: "DELETE FROM blobs WHERE \(unreferenced)")
                try CommitChain.reseal(db, commits: unlinked)
                if let first = ([firstPurgedCommit].compactMap { $0 } + unlinked).min() {
                    try CommitChain.relink(db, from: first)
                }
                return dryRun ? .rollback : .commit
            }
            return report
        }
    }

    /// The remaining (not deleted) runs that need run `run`: each with why, e.g. `run 5 resumes it`.
    ///
    /// A run depends on another when it was resumed from it (`--resume`, `--cells`, or a replay of such a run: its
    /// replay and resume restore the parent's commits), when one of its bindings pins a version of it, or when one of
    /// its cells loads it by a literal reference (`load("2/policy")`; a reference computed at run time cannot be seen).
    static func dependants(_ db: Database, of run: Int64) throws -> [String] {
        var reasons: [String] = []
        for child in try Int64.fetchAll(
            db, sql: "SELECT id FROM runs WHERE parent_run = ? AND deleted_at IS NULL ORDER BY id", arguments: [run])
        {
            reasons.append("run \(child) resumes it")
        }
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT DISTINCT co.run_id, o.name FROM commit_bindings b
                JOIN commits co ON co.id = b.commit_id JOIN runs r ON r.id = co.run_id
                JOIN versions v ON v.id = b.version_id JOIN objects o ON o.id = v.object_id
                WHERE o.run_id = ? AND co.run_id != ? AND r.deleted_at IS NULL ORDER BY co.run_id, o.name
                """, arguments: [run, run])
        {
            reasons.append("run \(row[0] as Int64) binds its '\(row[1] as String)'")
        }
        var loaders = Set<Int64>()
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT r.id, r.source FROM runs r WHERE r.id != ? AND r.deleted_at IS NULL AND instr(r.source, 'load')
                UNION ALL
                SELECT c.run_id, c.source FROM cells c JOIN runs r ON r.id = c.run_id
                WHERE c.run_id != ? AND r.deleted_at IS NULL AND instr(c.source, 'load')
                """, arguments: [run, run])
        {
            guard let loader = Int64.fromDatabaseValue(row[0]), let source = String.fromDatabaseValue(row[1]),
                !loaders.contains(loader), LoadReferences.runs(in: source).contains(run)
            else { continue }
            loaders.insert(loader)
        }
        reasons += loaders.sorted().map { "run \($0) loads it with load(\"\(run)/…\")" }
        return reasons
    }

    /// Rebuilds the database file without its free pages (SQLite's VACUUM), then empties the write-ahead log, so the
    /// space `collectGarbage` freed goes back to the file system. Returns the bytes of the database and its WAL before
    /// and after. Rewrites the whole file: it takes as long as copying the store. SQLite writes the rebuilt file
    /// through the log, so a process killed at any point leaves the old store or the new one, whole.
    public func vacuum() throws -> (before: Int, after: Int) {
        let before = fileBytes
        try writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM")
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
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
        let feedbackCount =
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM feedback WHERE object_id IN (\(objects))", arguments: [run]) ?? 0
        let metricCount =
            try Int.fetchOne(
                db, sql: "SELECT coalesce(sum(points), 0) FROM metric_series WHERE run_id = ?", arguments: [run]) ?? 0
        try db.execute(sql: "DELETE FROM commit_bindings WHERE commit_id IN (\(commits))", arguments: [run])
        // A remaining run's binding pinned to a purged version (only with --force) keeps its name, loses the pin.
        try db.execute(
            sql: "UPDATE commit_bindings SET version_id = NULL WHERE version_id IN (\(versions))", arguments: [run])
        try db.execute(sql: "DELETE FROM metric_points WHERE run_id = ?", arguments: [run])
        try db.execute(sql: "DELETE FROM metric_series WHERE run_id = ?", arguments: [run])
        try db.execute(sql: "DELETE FROM feedback WHERE object_id IN (\(objects))", arguments: [run])
        try db.execute(sql: "DELETE FROM version_tensors WHERE version_id IN (\(versions))", arguments: [run])
        try db.execute(sql: "DELETE FROM versions WHERE object_id IN (\(objects))", arguments: [run])
        try db.execute(sql: "DELETE FROM objects WHERE run_id = ?", arguments: [run])
        try db.execute(sql: "DELETE FROM artifacts WHERE run_id = ?", arguments: [run])
        try db.execute(sql: "UPDATE cells SET commit_id = NULL WHERE run_id = ?", arguments: [run])
        try db.execute(sql: "DELETE FROM commit_events WHERE commit_id IN (\(commits))", arguments: [run])
        try db.execute(sql: "DELETE FROM commits WHERE run_id = ?", arguments: [run])
        try db.execute(sql: "DELETE FROM cells WHERE run_id = ?", arguments: [run])
        try db.execute(sql: "UPDATE runs SET parent_run = NULL WHERE parent_run = ?", arguments: [run])
        try db.execute(sql: "UPDATE runs SET replay_of = NULL WHERE replay_of = ?", arguments: [run])
        try db.execute(sql: "DELETE FROM run_tags WHERE run_id = ?", arguments: [run])
        try db.execute(sql: "DELETE FROM sweep_runs WHERE run_id = ?", arguments: [run])
        try db.execute(sql: "DELETE FROM run_environment WHERE run_id = ?", arguments: [run])
        try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [run])
        return (versionCount, feedbackCount, metricCount)
    }
}
