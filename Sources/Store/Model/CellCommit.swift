/// Everything a successful cell produced, handed to ``LabStore/commit(run:_:)`` to be written in one transaction.
///
/// `objects` lists every versionable object bound after the cell; the store decides which ones changed by content hash.
public struct CellCommit: Sendable {
    public var cell: CellRecord
    public var output: String
    public var durationMs: Double
    /// The cell's running time so far, when the caller can measure it: read again as the commit's last write, so the
    /// recorded time includes hashing and writing the cell's effects, not only running its code.
    public var elapsedMs: (@Sendable () -> Double)?
    /// Objects after the cell, in order; a name listed more than once gets one version per distinct state (in order).
    public var objects: [(name: String, state: ObjectState)]
    public var metrics: [MetricPoint]
    public var bindings: [(name: String, value: BindingValue)]
    /// Files the cell produced (chart SVGs), in order.
    public var artifacts: [Artifact]
    /// Stored versions the cell loaded (`load("3/policy@2")`), in order. A version this commit writes with the
    /// same content as one of them gets the note `loaded from 3/policy@2`, so `rlhf log` shows where it came from.
    public var loads: [VersionInfo]

    public init(
        cell: CellRecord, output: String, durationMs: Double,
        objects: [(name: String, state: ObjectState)] = [],
        metrics: [MetricPoint] = [],
        bindings: [(name: String, value: BindingValue)] = [],
        artifacts: [Artifact] = [], loads: [VersionInfo] = [], elapsedMs: (@Sendable () -> Double)? = nil
    ) {
        self.cell = cell
        self.output = output
        self.durationMs = durationMs
        self.objects = objects
        self.metrics = metrics
        self.bindings = bindings
        self.artifacts = artifacts
        self.loads = loads
        self.elapsedMs = elapsedMs
    }
}
