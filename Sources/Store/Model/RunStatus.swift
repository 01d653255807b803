/// The lifecycle of a run: `running` until ``LabStore/finishRun(_:status:)`` records how it ended.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case running, succeeded, failed, interrupted
}
