import GRDB

extension LabStore {
    /// Writes all of a successful cell's effects in ONE transaction: cell row (status ok), commit, new versions only
    /// for objects whose content hash changed (or that are new), blobs not already stored, feedback rows
    /// added/removed, metrics, bindings, and the commit's place in the hash chain (``CommitChain``). If anything fails,
    /// nothing is written.
    ///
    /// ```swift
    /// let summary = try store.commit(run: run, CellCommit(
    ///     cell: CellRecord(ordinal: 2, key: "train", title: "train", source: src), output: "", durationMs: 12,
    ///     objects: [("policy", .checkpoint(policy))], metrics: [MetricPoint(name: "loss", step: 1, value: 0.7)],
    ///     bindings: [("policy", .object(name: "policy"))]))
    /// ```
    ///
    /// `progress` receives (done, total) while a commit of at least ``CommitProgress/threshold`` dataset rows hashes
    /// and writes them (each row counts twice: hashed, then written); it is never called for smaller commits.
    public func commit(run: Int64, _ cell: CellCommit, progress: ((Int, Int) -> Void)? = nil) throws -> CommitSummary {
        let rows = cell.objects.reduce(0) { total, object in
            if case .dataset(_, _, let rows) = object.state { return total + rows.count }
            return total
        }
        let counter = CommitProgress(rows: rows, report: progress)
        let prepared = try prepare(cell, progress: counter)
        let summary = try write { db in
            _ = try DBRun.running(db, id: run)
            let createdAt = Timestamp.now()
            var cellRow = DBCell(
                run: run, cell: cell.cell, status: .ok, output: cell.output, error: nil, durationMs: cell.durationMs)
            try cellRow.insert(db)
            var commitRow = DBCommit(runId: run, cellId: cellRow.id, note: nil, createdAt: createdAt)
            try commitRow.insert(db)
            guard let commitID = commitRow.id else {
                throw StoreError.database(path, "inserting the commit returned no id")
            }
            cellRow.commitId = commitID
            try cellRow.update(db, columns: [DBCell.Columns.commitId])

            let context = VersionContext(
                run: run, commit: commitID, cellOrdinal: cell.cell.ordinal, cellKey: cell.cell.key, createdAt: createdAt
            )
            var versions: [VersionInfo] = []
            var feedbackRows = 0
            var addedFeedback: [String] = []
            for object in prepared {
                var context = context
                context.note = cell.loads.first { $0.contentHash == object.contentHash }.map {
                    "loaded from \($0.run)/\($0.object)@\($0.version)"
                }
                guard
                    let written = try writeVersion(
                        db, object, context: context, progress: counter, addedFeedback: &addedFeedback)
                else {
                    if case .dataset(let dataset) = object { counter.skip(dataset.rows.count) }
                    continue
                }
                versions.append(written.info)
                feedbackRows += written.feedbackRows
            }
            try DBMetric.insert(db, run: run, commit: commitID, cell: cell.cell.ordinal, points: cell.metrics)
            try writeBindings(db, cell.bindings, run: run, commit: commitID, cell: cell.cell.ordinal)
            _ = try DBArtifact.write(db, cell.artifacts, run: run, commit: commitID)
            try CommitChain.seal(
                db, commit: commitID, metrics: cell.metrics.map(CommitParts.Point.init), addedFeedback: addedFeedback)
            if let elapsed = cell.elapsedMs {
                cellRow.durationMs = elapsed()
                try cellRow.update(db, columns: [DBCell.Columns.durationMs])
            }
            return CommitSummary(
                commit: commitID, newVersions: versions, bytesWritten: versions.reduce(0) { $0 + $1.bytesWritten },
                metrics: cell.metrics.count, feedbackRows: feedbackRows, artifacts: cell.artifacts.count)
        }
        counter.finish()
        return summary
    }

    /// Validates and hashes every object outside the write transaction.
    ///
    /// An object may be listed several times: each state is a successive version (a cell that trains a model in a
    /// loop leaves one checkpoint per training call), and a state equal to the one before it adds nothing.
    private func prepare(_ cell: CellCommit, progress: CommitProgress) throws -> [PreparedObject] {
        var bound = Set<String>()
        for binding in cell.bindings where !bound.insert(binding.name).inserted {
            throw StoreError.badCommit(cell: cell.cell.ordinal, reason: "name '\(binding.name)' is bound twice")
        }
        return try cell.objects.map {
            try PreparedObject(name: $0.name, state: $0.state, cell: cell.cell.ordinal, progress: progress)
        }
    }

    /// What every version written by one commit shares.
    struct VersionContext {
        var run: Int64
        var commit: Int64
        var cellOrdinal: Int?
        var cellKey: String?
        var createdAt: String
        var note: String?
    }

    /// Writes a new version of `object` if its content hash differs from its latest version; nil when unchanged.
    /// Appends to `addedFeedback` the chain digest of each feedback row it adds (see ``CommitParts``).
    private func writeVersion(
        _ db: Database, _ object: PreparedObject, context: VersionContext, progress: CommitProgress,
        addedFeedback: inout [String]
    ) throws -> (info: VersionInfo, feedbackRows: Int)? {
        let owner = try findOrCreateObject(db, run: context.run, name: object.name, kind: object.kind, context: context)
        guard let objectID = owner.id else { throw StoreError.database(path, "inserting the object returned no id") }
        let latest = try DBVersion.latest(db, object: objectID)
        if latest?.contentHash == object.contentHash { return nil }
        let number = (latest?.version ?? 0) + 1
        switch object {
        case .checkpoint(let checkpoint):
            var bytes = 0
            for tensor in checkpoint.tensors {
                let blob = DBBlob(hash: tensor.blobHash, size: tensor.bytes.count, data: tensor.bytes)
                bytes += try blob.insertIfMissing(db)
            }
            var version = DBVersion(
                objectId: objectID, version: number, commitId: context.commit, kind: checkpoint.kind,
                contentHash: checkpoint.contentHash, config: checkpoint.config, bytesWritten: bytes, rows: nil,
                note: context.note)
            try version.insert(db)
            guard let versionID = version.id else {
                throw StoreError.database(path, "inserting a version returned no id")
            }
            for tensor in checkpoint.tensors {
                try DBVersionTensor(
                    versionId: versionID, name: tensor.name, shape: TensorShape.encode(tensor.shape), dtype: "f32",
                    blobHash: tensor.blobHash
                ).insert(db)
            }
            return (info(version, name: object.name, context: context), 0)
        case .dataset(let dataset):
            let alive = try DBFeedback.aliveKeys(db, object: objectID)
            // A uid whose content changed is a relabel: the old row is removed and the new one added.
            var added = dataset.rows
            var removed: [DBFeedback.Key] = []
            if !alive.isEmpty {
                var aliveHash: [Int64: String] = [:]
                aliveHash.reserveCapacity(alive.count)
                for row in alive { aliveHash[row.uid] = row.rowHash }
                var incomingHash: [Int64: String] = [:]
                incomingHash.reserveCapacity(dataset.rows.count)
                for row in dataset.rows { incomingHash[row.uid] = row.rowHash }
                added = dataset.rows.filter { aliveHash[$0.uid] != $0.rowHash }
                removed = alive.filter { incomingHash[$0.uid] != $0.rowHash }
            }
            progress.skip(dataset.rows.count - added.count)
            var version = DBVersion(
                objectId: objectID, version: number, commitId: context.commit, kind: dataset.kind,
                contentHash: dataset.contentHash, config: dataset.config,
                bytesWritten: added.reduce(0) { $0 + $1.chosen.count + $1.rejected.count }, rows: dataset.rows.count,
                note: context.note)
            try version.insert(db)
            guard let versionID = version.id else {
                throw StoreError.database(path, "inserting a version returned no id")
            }
            try DBFeedback.markRemoved(db, ids: removed.map(\.id), in: versionID)
            let insert = try DBFeedback.Insert(db)
            addedFeedback.reserveCapacity(addedFeedback.count + added.count)
            for row in added {
                try insert.execute(row, object: objectID, addedIn: versionID)
                addedFeedback.append(CommitParts.addedFeedbackDigest(object: dataset.name, row: row))
                progress.advance()
            }
            return (info(version, name: object.name, context: context), added.count)
        }
    }

    func info(_ version: DBVersion, name: String, context: VersionContext) -> VersionInfo {
        VersionInfo(
            run: context.run, object: name, kind: version.kind, version: version.version, commit: context.commit,
            cellOrdinal: context.cellOrdinal, cellKey: context.cellKey, contentHash: version.contentHash,
            bytesWritten: version.bytesWritten, rows: version.rows, note: version.note, createdAt: context.createdAt)
    }

    /// A name keeps its family for the whole run: rebinding a checkpoint's name to a dataset is refused.
    private func findOrCreateObject(
        _ db: Database, run: Int64, name: String, kind: ObjectKind, context: VersionContext
    ) throws -> DBObject {
        if let existing = try DBObject.find(db, run: run, name: name) {
            guard existing.objectKind == kind else {
                throw StoreError.badCommit(
                    cell: context.cellOrdinal ?? 0,
                    reason: "'\(name)' is a \(existing.kind) in run \(run) and cannot become a \(kind.rawValue); "
                        + "use another name")
            }
            return existing
        }
        var object = DBObject(runId: run, name: name, kind: kind.rawValue)
        try object.insert(db)
        return object
    }

    /// Stores each binding; an object binding pins the object's version current after this commit, a value binding
    /// points at its JSON in `blobs` (stored once, whatever number of commits hold the same value).
    func writeBindings(
        _ db: Database, _ bindings: [(name: String, value: BindingValue)], run: Int64, commit: Int64, cell: Int
    ) throws {
        for binding in bindings {
            switch binding.value {
            case .value(let json):
                try DBBinding.value(db, commit: commit, name: binding.name, json: json).insert(db)
            case .object(let name):
                guard let object = try DBObject.find(db, run: run, name: name), let objectID = object.id,
                    let version = try DBVersion.latest(db, object: objectID)
                else {
                    throw StoreError.badCommit(
                        cell: cell,
                        reason: "binding '\(binding.name)' refers to object '\(name)', which run \(run) never committed"
                    )
                }
                try DBBinding(
                    commitId: commit, name: binding.name, kind: "object", object: name, blobHash: nil,
                    versionId: version.id
                ).insert(db)
            }
        }
    }
}
