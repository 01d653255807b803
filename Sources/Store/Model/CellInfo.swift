/// One recorded cell of a run, as shown by `rlhf show 12`.
public struct CellInfo: Sendable, Codable, Equatable {
    public var ordinal: Int
    public var key: String
    public var title: String
    public var source: String
    public var status: CellStatus
    public var durationMs: Double
    public var output: String
    public var error: String?
    /// The commit of an `ok` cell; nil for a failed one.
    public var commit: Int64?
}
