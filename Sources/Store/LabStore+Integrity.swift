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

    /// Verifies the whole store and returns every problem found (empty when the store is sound); see ``verify()``.
    ///
    /// ```swift
    /// let problems = try LabStore.openReadOnly(path: "store/lab.sqlite").check()   // [] when sound
    /// ```
    public func check() throws -> [IntegrityProblem] {
        try verify().problems
    }

    /// Verifies the whole store: the commit chain (every commit's content re-hashed, every hash re-linked; the
    /// first bad commit is named, and comes first), SQLite's full integrity check with CHECK constraints enforced,
    /// its foreign-key check, every blob re-hashed against its SHA-256 and its size, every manifest entry pointing
    /// at an existing blob of the right size for its shape, every checkpoint's content hash recomputed from its
    /// manifest, every feedback row's hash recomputed from its content, and every binding decoded and its pinned
    /// version found.
    public func verify() throws -> IntegrityReport {
        try read { db in
            let chain = try verifyChain(db)
            var problems: [IntegrityProblem] = chain.problem.map { [$0] } ?? []
            // integrity_check verifies CHECK constraints only while they are not ignored on this connection.
            try db.execute(sql: "PRAGMA ignore_check_constraints = OFF")
            for message in try String.fetchAll(db, sql: "PRAGMA integrity_check") where message != "ok" {
                problems.append(IntegrityProblem(location: "sqlite", message: message))
            }
            problems += try checkStatuses(db)
            problems += try checkTypes(db)
            for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                let table = String.fromDatabaseValue(row[0]) ?? "?"
                let rowid = Int64.fromDatabaseValue(row[1])
                let parent = String.fromDatabaseValue(row[2]) ?? "?"
                problems.append(
                    IntegrityProblem(
                        location: "table \(table) row \(rowid.map(String.init) ?? "?")",
                        message: "points at a missing row of \(parent)"))
            }
            problems += try checkBlobs(db)
            problems += try checkManifests(db)
            problems += try checkFeedback(db)
            problems += try checkLinks(db)
            problems += try checkBindings(db)
            let runs = try Int.fetchOne(db, sql: "SELECT count(*) FROM runs") ?? 0
            return IntegrityReport(runs: runs, commits: chain.commits, head: chain.head, problems: problems)
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
        if let r = row {
            let run: Int64 = r["run_id"]
            let name: String = r["name"]
            let version: Int = r["version"]
            let tensor: String = r["tensor"]
            return "run \(run) · \(name)@\(version) · tensor \(tensor)"
        }
        let other = try Row.fetchOne(
            db,
            sql: """
                SELECT commit_id, 'binding ' || quote(name) FROM commit_bindings WHERE blob_hash = ?1
                UNION ALL SELECT commit_id, 'artifact ' || quote(name) FROM artifacts WHERE blob_hash = ?1
                ORDER BY 1 LIMIT 1
                """, arguments: [hash])
        guard let other, let commit = Int64.fromDatabaseValue(other[0]) else { return nil }
        return try Self.commitLabel(db, commit: commit) + " · " + (String.fromDatabaseValue(other[1]) ?? "")
    }

    private func checkBlobs(_ db: Database) throws -> [IntegrityProblem] {
        var problems: [IntegrityProblem] = []
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT CAST(hash AS TEXT) AS hash, CAST(size AS INTEGER) AS size, CAST(data AS BLOB) AS data
                FROM blobs ORDER BY hash
                """)
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
            problems.append(
                IntegrityProblem(
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
                SELECT CAST(o.run_id AS INTEGER) AS run_id, CAST(o.name AS TEXT) AS object, v.id AS version_id,
                       CAST(v.version AS INTEGER) AS version, CAST(v.kind AS TEXT) AS kind,
                       CAST(v.config AS TEXT) AS config, CAST(v.content_hash AS TEXT) AS content_hash,
                       CAST(t.name AS TEXT) AS tensor, CAST(t.shape AS TEXT) AS shape,
                       CAST(t.blob_hash AS TEXT) AS blob_hash, CAST(b.size AS INTEGER) AS size
                FROM versions v JOIN objects o ON o.id = v.object_id
                JOIN version_tensors t ON t.version_id = v.id
                LEFT JOIN blobs b ON b.hash = t.blob_hash
                WHERE o.kind = 'checkpoint'
                ORDER BY v.id, t.name
                """)
        var manifests:
            [(
                location: String, kind: String, config: String, hash: String,
                entries: [(name: String, shape: [Int], blobHash: String)]
            )] = []
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
                problems.append(
                    IntegrityProblem(
                        location: "\(location) · tensor \(tensor)", message: "unreadable shape \(shapeText)"))
                continue
            }
            manifests[manifests.count - 1].entries.append((tensor, shape, blobHash))
            guard let size else {
                problems.append(
                    IntegrityProblem(
                        location: "\(location) · tensor \(tensor)",
                        message: "its blob \(blobHash.prefix(12)) is missing"))
                continue
            }
            let expected = shape.reduce(1, *) * MemoryLayout<Float>.size
            if size != expected {
                problems.append(
                    IntegrityProblem(
                        location: "\(location) · tensor \(tensor)",
                        message: "its blob holds \(size) bytes; shape \(shapeText) needs \(expected)"))
            }
        }
        for manifest in manifests {
            let actual = ContentHash.checkpoint(
                kind: manifest.kind, config: manifest.config, manifest: manifest.entries)
            if actual != manifest.hash {
                problems.append(
                    IntegrityProblem(
                        location: manifest.location,
                        message:
                            "content hash \(manifest.hash.prefix(12)) does not match its manifest (\(actual.prefix(12)))"
                    ))
            }
        }
        return problems
    }

    private func checkFeedback(_ db: Database) throws -> [IntegrityProblem] {
        var problems: [IntegrityProblem] = []
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT CAST(o.run_id AS INTEGER) AS run_id, CAST(o.name AS TEXT) AS name, f.id,
                       CAST(f.uid AS INTEGER) AS uid, CAST(f.prompt AS INTEGER) AS prompt,
                       CAST(f.chosen AS BLOB) AS chosen, CAST(f.rejected AS BLOB) AS rejected,
                       CAST(f.annotator AS TEXT) AS annotator,
                       CAST(f.seed AS INTEGER) AS seed, CAST(f.row_hash AS TEXT) AS row_hash,
                       f.prompt_text, f.chosen_text, f.rejected_text, f.sampling
                FROM feedback f JOIN objects o ON o.id = f.object_id ORDER BY f.id
                """)
        while let row = try cursor.next() {
            let run: Int64 = row["run_id"]
            let name: String = row["name"]
            let uid: Int64 = row["uid"]
            let seed: Int64 = row["seed"]
            let stored: String = row["row_hash"]
            var text: FeedbackRow.Text?
            if let prompt: String = row["prompt_text"], let chosen: String = row["chosen_text"],
                let rejected: String = row["rejected_text"]
            {
                text = FeedbackRow.Text(prompt: prompt, chosen: chosen, rejected: rejected, sampling: row["sampling"])
            }
            let actual = ContentHash.row(
                prompt: row["prompt"], chosen: row["chosen"], rejected: row["rejected"], annotator: row["annotator"],
                seed: UInt64(bitPattern: seed), text: text)
            if actual != stored {
                problems.append(
                    IntegrityProblem(
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
                SELECT CAST(o.run_id AS INTEGER), CAST(o.name AS TEXT), CAST(v.version AS INTEGER),
                       CAST(co.run_id AS INTEGER) AS commit_run FROM versions v
                JOIN objects o ON o.id = v.object_id JOIN commits co ON co.id = v.commit_id
                WHERE co.run_id != o.run_id ORDER BY v.id
                """)
        {
            let (run, name, version, other): (Int64, String, Int, Int64) = (row[0], row[1], row[2], row[3])
            problems.append(
                IntegrityProblem(
                    location: "run \(run) · \(name)@\(version)", message: "was committed by run \(other)"))
        }
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT CAST(o.run_id AS INTEGER), CAST(o.name AS TEXT), CAST(f.uid AS INTEGER),
                       va.object_id != f.object_id AS foreign_add,
                       coalesce(vr.object_id != f.object_id, 0) AS foreign_remove,
                       coalesce(vr.version < va.version, 0) AS backwards
                FROM feedback f JOIN objects o ON o.id = f.object_id
                JOIN versions va ON va.id = f.added_in LEFT JOIN versions vr ON vr.id = f.removed_in
                WHERE va.object_id != f.object_id OR vr.object_id != f.object_id OR vr.version < va.version
                ORDER BY f.id
                """)
        {
            let (run, name, uid): (Int64, String, Int64) = (row[0], row[1], row[2])
            let message =
                (row[3] as Bool)
                ? "was added by a version of another object"
                : (row[4] as Bool) ? "was removed by a version of another object" : "is removed before it was added"
            problems.append(IntegrityProblem(location: "run \(run) · \(name) · row uid \(uid)", message: message))
        }
        return problems
    }
}
