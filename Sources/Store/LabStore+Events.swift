import GRDB

extension LabStore {
    /// The typed events of run `run`'s commits (rollbacks, a resume's first commit), in commit order.
    /// Unknown run -> ``StoreError/unknownRun(_:latest:)``.
    ///
    /// ```swift
    /// let rollbacks = try store.events(run: 12).filter {
    ///     if case .rollback = $0.event { true } else { false }
    /// }
    /// ```
    public func events(run: Int64) throws -> [CommitEvent] {
        try read { db in
            _ = try DBRun.existing(db, id: run)
            return try DBCommitEvent.all(db, run: run).map {
                CommitEvent(commit: $0.commitId, event: try $0.event(path: path))
            }
        }
    }
}
