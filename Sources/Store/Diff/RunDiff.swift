/// Two runs side by side (`rlhf diff 3 4`): parameters, each cell's source matched by its `id=`, the final value
/// of every metric series and the latest version of every object.
public struct RunDiff: Sendable, Codable {
    /// One cell key in either run.
    public struct Cell: Sendable, Codable, Equatable {
        public var key: String
        public var ordinalA: Int?
        public var ordinalB: Int?
        /// `same`, `changed`, `added` (only in b) or `removed` (only in a).
        public var status: String
        /// The line diff of the sources (` `, `-`, `+` prefixes); empty when the sources are equal.
        public var lines: [String]
    }

    /// A metric series' last point in each run (nil where the run lacks the series).
    public struct Metric: Sendable, Codable, Equatable {
        public var name: String
        public var lastA: Double?
        public var lastB: Double?
        public var pointsA: Int
        public var pointsB: Int
    }

    /// An object's latest version in each run.
    public struct Object: Sendable, Codable, Equatable {
        public var name: String
        public var versionA: Int?
        public var versionB: Int?
        public var hashA: String?
        public var hashB: String?
        public var same: Bool { hashA != nil && hashA == hashB }
    }

    public var a: RunSummary
    public var b: RunSummary
    public var parameters: [ConfigChange]
    public var cells: [Cell]
    public var metrics: [Metric]
    public var objects: [Object]
}
