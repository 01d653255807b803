/// One metric series of a run in brief, as `rlhf metrics RUN` lists it. Missing values (NaN, stored as NULL) count
/// as points; `min` and `max` are over the other values (NaN when there are none).
public struct MetricSeriesSummary: Sendable, Equatable, Codable {
    public var name: String
    public var points: Int
    public var firstStep: Int
    public var lastStep: Int
    public var first: Double
    public var last: Double
    public var min: Double
    public var max: Double
}
