import GRDB

extension LabStore {
    /// Starts a run and returns its id. `parameters` is the effective parameters as JSON text (e.g. `{"lr":0.0003}`);
    /// `metadata` its name, note, tags and environment (a taken name throws and starts nothing).
    ///
    /// ```swift
    /// let run = try store.beginRun(notebook: "notebooks/quickstart.rlhf", source: text, parameters: "{}")
    /// ```
    public func beginRun(
        notebook: String?, source: String, parameters: String, metadata: RunMetadata = RunMetadata()
    ) throws -> Int64 {
        try lockingNewRun { db in
            var run = DBRun(
                notebook: notebook, source: source, parameters: parameters, status: RunStatus.running.rawValue,
                startedAt: Timestamp.now(), finishedAt: nil)
            try run.insert(db)
            guard let id = run.id else { throw StoreError.database(path, "inserting the run returned no id") }
            try writeMetadata(db, run: id, metadata)
            return id
        }
    }

    /// Runs `insert` (which inserts a run row and returns its id) in a write transaction, taking the run's lock
    /// before the row is visible to other processes, so none of them can take it for abandoned; a transaction that
    /// fails releases the lock again.
    func lockingNewRun(_ insert: (Database) throws -> Int64) throws -> Int64 {
        var locked: Int64?
        do {
            return try write { db in
                let id = try insert(db)
                RunLocks.shared.acquire(store: path, run: id)
                locked = id
                return id
            }
        } catch {
            if let locked { RunLocks.shared.release(store: path, run: locked) }
            throw error
        }
    }

    /// A failing or cancelled cell: writes only its cell row (status `failed` or `cancelled`, error text, output so
    /// far). Nothing else.
    public func recordFailure(
        run: Int64, cell: CellRecord, output: String, error: String, durationMs: Double,
        status: CellStatus = .failed
    ) throws {
        guard status != .ok else { throw StoreError.database(path, "a cell that did not commit cannot be recorded ok") }
        try write { db in
            _ = try DBRun.running(db, id: run)
            var row = DBCell(run: run, cell: cell, status: status, output: output, error: error, durationMs: durationMs)
            try row.insert(db)
        }
    }

    /// Records how a running run ended and when. Finishing a run that is not running throws
    /// ``StoreError/runNotRunning(_:status:)``; `.running` is not an ending and is ignored.
    public func finishRun(_ run: Int64, status: RunStatus) throws {
        guard status != .running else { return }
        try write { db in
            var row = try DBRun.running(db, id: run)
            row.status = status.rawValue
            row.finishedAt = Timestamp.now()
            try row.update(db, columns: [DBRun.Columns.status, DBRun.Columns.finishedAt])
        }
        RunLocks.shared.release(store: path, run: run)
    }
}
