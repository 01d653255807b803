/// What `rlhf gc` removed (or, with `--dry-run`, would remove).
public struct GarbageReport: Sendable, Codable, Equatable {
    /// Runs marked deleted (`rlhf rm`) whose rows were purged, oldest first.
    public var purgedRuns: [Int64]
    /// Object versions that belonged to the purged runs.
    public var versions: Int
    /// Feedback rows that belonged to the purged runs.
    public var feedbackRows: Int
    /// Metric points that belonged to the purged runs.
    public var metricPoints: Int
    /// Tensor blobs that no remaining version references.
    public var blobs: Int
    /// Their total size.
    public var blobBytes: Int
    /// True when nothing was changed.
    public var dryRun: Bool
}
