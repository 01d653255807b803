/// `rlhf compare`: runs grouped by their parameters (a sweep's grid points, or runs whose parameters other than
/// `seed` are equal), with each metric's final value summarised over the group's runs as a mean and 95% interval.
public struct Comparison: Sendable, Codable, Equatable {
    /// One row: a grid point and what its runs gave.
    public struct Group: Sendable, Codable, Equatable {
        /// The point's parameters (name, value as typed or stored), in column order.
        public var parameters: [Parameter]
        /// The runs summarised, in id order.
        public var runs: [Int64]
        /// Their seeds, where known, in the same order.
        public var seeds: [Int]
        /// Mean and interval of each metric's last value, by metric name.
        public var metrics: [String: MeanInterval]
        /// In a sweep, the seeds of this point without a succeeded run.
        public var pending: [Int]
    }

    public struct Parameter: Sendable, Codable, Equatable {
        public var name: String
        public var value: String
    }

    /// The sweep compared; nil when runs were given.
    public var sweep: Int64?
    public var parameterNames: [String]
    /// Every metric some run of the comparison logged, sorted.
    public var metricNames: [String]
    public var groups: [Group]
}
