import GRDB

extension LabStore {
    /// Writes a new version of `object` whose content equals version `to`: a commit with no cell, the note
    /// `"rollback to vN"` and the event ``StoreEvent/rollback(object:toVersion:)`` (what a replay reads).
    /// Nothing is deleted; the versions in between stay in the history.
    ///
    /// A checkpoint rollback points at the existing blobs (`bytesWritten` 0). A dataset rollback removes the rows
    /// added since and re-adds (as copies) the rows removed since; `bytesWritten` counts those copies.
    ///
    /// ```swift
    /// let v4 = try store.rollback(run: 12, object: "policy", to: 1)   // v4.note == "rollback to v1"
    /// ```
    @discardableResult
    public func rollback(run: Int64, object: String, to version: Int) throws -> VersionInfo {
        try write { db in
            let owner = try DBObject.existing(db, run: run, name: object)
            let target = try DBVersion.existing(db, object: owner, version: version)
            let latest = try DBVersion.existing(db, object: owner, version: nil)
            guard let objectID = owner.id, let targetID = target.id else {
                throw StoreError.corrupt(path, "object '\(object)' of run \(run) has no id")
            }
            let note = "rollback to v\(target.version)"
            var commit = DBCommit(runId: run, cellId: nil, note: note, createdAt: Timestamp.now())
            try commit.insert(db)
            guard let commitID = commit.id else {
                throw StoreError.database(path, "inserting the commit returned no id")
            }
            try DBCommitEvent(commit: commitID, event: .rollback(object: object, toVersion: target.version)).insert(db)
            var copy = DBVersion(
                objectId: objectID, version: latest.version + 1, commitId: commitID, kind: target.kind,
                contentHash: target.contentHash, config: target.config, bytesWritten: 0, rows: target.rows, note: note)
            try copy.insert(db)
            guard let copyID = copy.id else { throw StoreError.database(path, "inserting a version returned no id") }
            switch owner.objectKind {
            case .checkpoint:
                try DBVersionTensor.copyManifest(db, from: targetID, to: copyID)
            case .dataset:
                copy.bytesWritten = try restoreRows(db, object: objectID, target: target.version, into: copyID)
                try copy.update(db, columns: [Column("bytes_written")])
            }
            try CommitChain.seal(db, commit: commitID, metrics: [])
            let context = VersionContext(
                run: run, commit: commitID, cellOrdinal: nil, cellKey: nil, createdAt: commit.createdAt, note: note)
            return info(copy, name: object, context: context)
        }
    }

    /// Makes the rows alive at version number `target` the alive rows of version `into`; returns bytes copied.
    private func restoreRows(_ db: Database, object: Int64, target: Int, into version: Int64) throws -> Int {
        let wanted = try DBFeedback.alive(db, object: object, version: target)
        let current = try DBFeedback.aliveKeys(db, object: object).map(\.id)
        let wantedIDs = Set(wanted.compactMap(\.id))
        let currentIDs = Set(current)
        try DBFeedback.markRemoved(db, ids: current.filter { !wantedIDs.contains($0) }, in: version)
        var bytes = 0
        for row in wanted where !currentIDs.contains(row.id ?? -1) {
            var revived = row
            revived.id = nil
            revived.addedIn = version
            revived.removedIn = nil
            try revived.insert(db)
            bytes += revived.byteCount
        }
        return bytes
    }
}
