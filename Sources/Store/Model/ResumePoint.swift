/// Where a child run resumes a parent: the first cell to execute and the session as committed just before it.
///
/// ```swift
/// let point = try store.resumePoint(run: 3, fromCell: nil)   // the failed or interrupted cell
/// let child = try store.beginResumedRun(notebook: path, source: text, parameters: "{}", from: point)
/// ```
public struct ResumePoint: Sendable, Equatable {
    /// The run resumed.
    public var parent: Int64
    /// Ordinal of the first cell the child executes (cells before it are restored, not run).
    public var cell: Int
    /// The parent's commit that holds the state before `cell`; nil when resuming from cell 1.
    public var commit: Int64?
    /// The bindings of that commit (variables, objects pinned to their versions, `$rng`), in name order.
    public var bindings: [CommittedBinding]
    /// Next step of each metric series of the parent at that commit.
    public var nextSteps: [String: Int]
}
