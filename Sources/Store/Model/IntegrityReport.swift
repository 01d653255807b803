/// What `rlhf check` verified and found: counts, the chain's head, and every problem (empty when sound).
public struct IntegrityReport: Sendable, Codable, Equatable {
    public var runs: Int
    public var commits: Int
    /// The newest commit's hash (the chain's head), nil for a store without commits.
    public var head: String?
    /// The first commit whose content or place in the chain does not match its hash comes first, if any.
    public var problems: [IntegrityProblem]
}
