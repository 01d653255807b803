/// The content of a versionable object at a commit.
public enum ObjectState: Sendable, Equatable {
    /// Model or optimiser state.
    case checkpoint(Checkpoint)
    /// A preference dataset: its kind label (e.g. `"preferences"`), its config as canonical JSON text, and all rows alive now.
    case dataset(kind: String, config: String, rows: [FeedbackRow])

    /// The family this state belongs to.
    public var objectKind: ObjectKind {
        switch self {
        case .checkpoint: .checkpoint
        case .dataset: .dataset
        }
    }
}
