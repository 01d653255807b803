/// What one ``LabStore/commit(run:_:)`` wrote.
public struct CommitSummary: Sendable {
    public var commit: Int64
    /// Versions created by this commit (objects whose content hash did not change get none).
    public var newVersions: [VersionInfo]
    /// Sum of `bytesWritten` over `newVersions`.
    public var bytesWritten: Int
    /// Metric points written.
    public var metrics: Int
    /// Feedback rows inserted (new uids and relabels).
    public var feedbackRows: Int
    /// Files (chart SVGs) stored with the commit.
    public var artifacts: Int = 0
}
