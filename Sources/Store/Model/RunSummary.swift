/// One line of `rlhf runs`.
public struct RunSummary: Sendable, Codable, Equatable {
    public var id: Int64
    public var notebook: String?
    public var status: RunStatus
    public var startedAt: String
    public var finishedAt: String?
    /// Cells recorded (committed or failed).
    public var cells: Int
    /// Ordinal of the first failed cell, if any.
    public var failedCell: Int?
    public var objects: Int
    public var versions: Int
    /// Metric points.
    public var metrics: Int
    /// The effective parameters, as JSON text.
    public var parameters: String
    /// Ordinal of the last committed cell (where an interrupted run stopped), nil when none committed.
    public var lastCommittedCell: Int?
    /// When `rlhf rm` marked the run deleted; nil for a live run.
    public var deletedAt: String?
    /// For a run started with `--resume` or `--cells`: the run it continues and the first cell it ran.
    public var parentRun: Int64?
    public var resumedAtCell: Int?
    /// For a run made by `rlhf replay`: the run it replays.
    public var replayOf: Int64?
    /// `--name`, unique in the store; nil for an unnamed run.
    public var name: String?
    /// `--note`.
    public var note: String?
    /// Sorted.
    public var tags: [String] = []
}
