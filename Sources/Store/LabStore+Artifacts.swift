extension LabStore {
    /// The files (chart SVGs) a run's cells produced, in commit order. Unknown run -> ``StoreError/unknownRun(_:latest:)``.
    public func artifacts(run: Int64) throws -> [StoredArtifact] {
        try read { db in
            _ = try DBRun.existing(db, id: run)
            return try DBArtifact.all(db, run: run)
        }
    }
}
