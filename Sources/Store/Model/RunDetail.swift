/// Everything `rlhf show 12` prints: the run, its cells in execution order, and its objects by name.
public struct RunDetail: Sendable, Codable, Equatable {
    public var run: RunSummary
    /// The notebook source recorded at ``LabStore/beginRun(notebook:source:parameters:)``.
    public var source: String
    public var cells: [CellInfo]
    public var objects: [ObjectInfo]
    /// Where it ran; nil for a run recorded before rlhf kept it.
    public var environment: RunEnvironment? = nil
}
