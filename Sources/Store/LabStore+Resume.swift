import GRDB

extension LabStore {
    /// Finds the state a child run restores to resume `run` at cell `fromCell` (an ordinal, 1-based). Without
    /// `fromCell`, resumes at the cell that failed, or after the last committed cell of an interrupted run.
    ///
    /// Every cell before the resume point must have been committed by the run, or, for a run that itself resumed
    /// another at cell K, restored by it: its first commit holds the state before K, so a chain of killed and resumed
    /// runs can always be resumed again and ends where an uninterrupted run ends.
    public func resumePoint(run: Int64, fromCell: Int?) throws -> ResumePoint {
        try read { db in
            let parent = try DBRun.existing(db, id: run)
            let status = try parent.runStatus()
            if status == .running && hasLiveWriter(run: run) {
                throw StoreError.runNotFinished(run)
            }
            let cells = try DBCell.all(db, run: run)
            let statuses = try cells.map { try $0.info().status }
            let committed = zip(cells, statuses).filter { $0.1 == .ok }.map(\.0)
            let restored = try restoredState(db, run: run)
            let cell: Int
            if let fromCell {
                cell = fromCell
            } else if let failed = zip(cells, statuses).first(where: { $0.1 == .failed })?.0 {
                cell = failed.ordinal
            } else if status == .succeeded {
                throw StoreError.cannotResume(
                    run, reason: "it succeeded; pass --from-cell K to run it again from cell K")
            } else {
                // An interrupted run continues after its last cell, or where it started if it committed none.
                cell = (committed.map(\.ordinal).max() ?? (restored.map { $0.cell - 1 } ?? 0)) + 1
            }
            guard cell >= 1 else {
                throw StoreError.cannotResume(run, reason: "cells are numbered from 1, not \(cell)")
            }
            if let restored, cell < restored.cell {
                throw StoreError.cannotResume(
                    run,
                    reason: "it started at cell \(restored.cell) from run \(restored.parent)'s state, so it holds "
                        + "none before cell \(cell); resume run \(restored.parent) at cell \(cell) instead")
            }
            let commit = try commitBefore(cell: cell, run: run, committed: committed, restored: restored)
            return ResumePoint(
                parent: run, cell: cell, commit: commit,
                bindings: try commit.map { try committedBindings(db, $0) } ?? [],
                nextSteps: try nextSteps(db, run: run, through: commit, restored: restored))
        }
    }

    /// What a resumed run restored: its parent, the cell it resumed at, and its first commit, which holds the
    /// parent's state before that cell (nil when it resumed at cell 1: nothing was restored).
    private func restoredState(_ db: Database, run: Int64) throws -> (parent: Int64, cell: Int, commit: Int64?)? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT parent_run, resumed_at_cell FROM runs WHERE id = ?", arguments: [run]),
            let parent: Int64 = row["parent_run"], let cell: Int = row["resumed_at_cell"]
        else { return nil }
        // The restore is the run's first commit, written with the run itself; it has no cell.
        let first = try Row.fetchOne(
            db, sql: "SELECT id, cell_id FROM commits WHERE run_id = ? ORDER BY id LIMIT 1", arguments: [run])
        let commit: Int64? = first.flatMap { row in (row["cell_id"] as Int64?) == nil ? row["id"] : nil }
        return (parent, cell, cell > 1 ? commit : nil)
    }

    /// The commit holding the state before `cell`: that of cell `cell - 1`, after every earlier cell was committed
    /// (or restored, for the cells before a resumed run's first).
    private func commitBefore(
        cell: Int, run: Int64, committed: [DBCell], restored: (parent: Int64, cell: Int, commit: Int64?)?
    ) throws -> Int64? {
        var commit: Int64?
        for ordinal in 1..<cell {
            if let restored, ordinal < restored.cell, let restore = restored.commit {
                commit = restore
                continue
            }
            guard let done = committed.last(where: { $0.ordinal == ordinal }), let id = done.commitId else {
                throw StoreError.cannotResume(
                    run, reason: "cell \(ordinal) was never committed, so cell \(cell) has no state to start from")
            }
            commit = id
        }
        return commit
    }

    /// Next step of each metric series at `commit`: the run's own points, over the steps it inherited when it
    /// resumed its parent (a series the parent logged before the resume cell continues where the parent left it).
    private func nextSteps(
        _ db: Database, run: Int64, through commit: Int64?, restored: (parent: Int64, cell: Int, commit: Int64?)?
    ) throws -> [String: Int] {
        guard let commit else { return [:] }
        var steps: [String: Int] = [:]
        if let restored, restored.commit != nil {
            let grandparent = try restoredState(db, run: restored.parent)
            let before = try commitBefore(
                cell: restored.cell, run: restored.parent,
                committed: try DBCell.all(db, run: restored.parent)
                    .filter { $0.status == CellStatus.ok.rawValue }, restored: grandparent)
            steps = try nextSteps(db, run: restored.parent, through: before, restored: grandparent)
        }
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT n.name, max(p.step) + 1 AS next FROM metric_points p
                JOIN metric_names n ON n.id = p.name_id
                WHERE p.run_id = ? AND p.commit_id <= ? GROUP BY n.name
                """, arguments: [run, commit])
        {
            let (name, next): (String, Int) = (row["name"], row["next"])
            steps[name] = max(steps[name] ?? 0, next)
        }
        return steps
    }

    /// Starts a child run of `point.parent` and, in the same transaction, writes its first commit (no cell, note
    /// `resumed from run P before cell K`): a copy of every restored object as its version 1 (checkpoints point at
    /// the same blobs, 0 bytes) and the parent's bindings. Returns the child's id.
    public func beginResumedRun(
        notebook: String?, source: String, parameters: String, from point: ResumePoint,
        metadata: RunMetadata = RunMetadata()
    ) throws -> Int64 {
        try lockingNewRun { db in
            var run = DBRun(
                notebook: notebook, source: source, parameters: parameters, status: RunStatus.running.rawValue,
                startedAt: Timestamp.now(), finishedAt: nil)
            try run.insert(db)
            guard let id = run.id else { throw StoreError.database(path, "inserting the run returned no id") }
            try writeMetadata(db, run: id, metadata)
            try db.execute(
                sql: "UPDATE runs SET parent_run = ?, resumed_at_cell = ? WHERE id = ?",
                arguments: [point.parent, point.cell, id])
            guard point.commit != nil else { return id }
            let note = "resumed from run \(point.parent) before cell \(point.cell)"
            var commit = DBCommit(runId: id, cellId: nil, note: note, createdAt: Timestamp.now())
            try commit.insert(db)
            guard let commitID = commit.id else {
                throw StoreError.database(path, "inserting the commit returned no id")
            }
            let event = StoreEvent.resume(parentRun: point.parent, beforeCell: point.cell)
            try DBCommitEvent(commit: commitID, event: event).insert(db)
            var bindings: [(name: String, value: BindingValue)] = []
            for binding in point.bindings {
                if case .object(let name) = binding.value, let version = binding.version {
                    let (_, stored, kind) = try resolve(
                        db, VersionRef(run: point.parent, object: name, version: version.version))
                    try copyVersion(
                        db, stored, kind: kind, name: name, run: id, commit: commitID,
                        note: "from \(point.parent)/\(name)@\(version.version)")
                }
                bindings.append((binding.name, binding.value))
            }
            try writeBindings(db, bindings, run: id, commit: commitID, cell: 0)
            try CommitChain.seal(db, commit: commitID, metrics: [])
            return id
        }
    }

    /// The parent's id and resume cell of a resumed run; nil for a run started from scratch.
    public func parent(of run: Int64) throws -> (run: Int64, cell: Int)? {
        try read { db in
            _ = try DBRun.existing(db, id: run)
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT parent_run, resumed_at_cell FROM runs WHERE id = ?", arguments: [run]),
                let parent: Int64 = row["parent_run"], let cell: Int = row["resumed_at_cell"]
            else { return nil }
            return (parent, cell)
        }
    }

    func committedBindings(_ db: Database, _ commit: Int64) throws -> [CommittedBinding] {
        try DBBinding.all(db, commit: commit).map { binding in
            guard binding.kind == "object" else {
                guard let json = try binding.json(db) else {
                    throw StoreError.corrupt(
                        path,
                        "binding '\(binding.name)' of commit \(commit) has no stored value "
                            + "(blob \(binding.blobHash?.prefix(12) ?? "none") is missing or not text)")
                }
                return CommittedBinding(name: binding.name, value: .value(json: json), version: nil)
            }
            let version = try binding.versionId.flatMap {
                try VersionInfo.fetchAll(db, where: "v.id = ?", arguments: [$0]).first
            }
            return CommittedBinding(
                name: binding.name, value: .object(name: binding.object ?? version?.object ?? binding.name),
                version: version)
        }
    }

    /// Writes `source` (a version of another run) as version 1 of the object `name` of `run`.
    private func copyVersion(
        _ db: Database, _ source: DBVersion, kind: ObjectKind, name: String, run: Int64, commit: Int64, note: String
    ) throws {
        var object = DBObject(runId: run, name: name, kind: kind.rawValue)
        try object.insert(db)
        guard let objectID = object.id, let sourceID = source.id else {
            throw StoreError.database(path, "inserting the object returned no id")
        }
        var copy = DBVersion(
            objectId: objectID, version: 1, commitId: commit, kind: source.kind, contentHash: source.contentHash,
            config: source.config, bytesWritten: 0, rows: source.rows, note: note)
        try copy.insert(db)
        guard let copyID = copy.id else { throw StoreError.database(path, "inserting a version returned no id") }
        switch kind {
        case .checkpoint:
            try DBVersionTensor.copyManifest(db, from: sourceID, to: copyID)
        case .dataset:
            var bytes = 0
            for row in try DBFeedback.alive(db, object: source.objectId, version: source.version) {
                var revived = row
                revived.id = nil
                revived.objectId = objectID
                revived.addedIn = copyID
                revived.removedIn = nil
                try revived.insert(db)
                bytes += revived.byteCount
            }
            copy.bytesWritten = bytes
            try copy.update(db, columns: [Column("bytes_written")])
        }
    }
}
