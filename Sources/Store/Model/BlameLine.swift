/// Where one feedback row alive at a dataset version came from (`rlhf blame RUN/prefs`).
public struct BlameLine: Sendable, Codable, Equatable {
    public var uid: Int64
    public var prompt: Int
    public var annotator: String
    /// The seed of the row's own generator (its judgement is reproducible from it).
    public var seed: UInt64
    /// The dataset version that added the row.
    public var addedIn: Int
    /// The cell whose commit added it (nil for a CLI rollback).
    public var cellOrdinal: Int?
    public var cellKey: String?
    /// For a relabelled row: the version that added the row it replaced (same uid).
    public var replacesVersion: Int?
    /// A text row's prompt, chosen and rejected continuations and sampling settings; nil (and absent from JSON) for
    /// vector rows.
    public var text: FeedbackRow.Text? = nil
}
