/// One thing `rlhf check` found wrong, located as precisely as the store allows.
public struct IntegrityProblem: Sendable, Codable, Equatable, CustomStringConvertible {
    /// Where: `sqlite`, `table feedback row 12`, `run 1 · policy@2 · tensor layer1.weight`, `blob 3fa2…`.
    public var location: String
    /// What is wrong there.
    public var message: String

    public var description: String { "\(location): \(message)" }
}
